export declare const root: string
export declare const serverEntry: string
export declare function buildIsStale(): boolean
export declare function buildIfStale(opts?: { quiet?: boolean }): boolean
