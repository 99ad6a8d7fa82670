// Which implementation made a code: every result carries it so a code can be recomputed with the same
// tool, and a code made by another version is recognised as such rather than compared blindly.

/** Version of this implementation of ISO 24138; raise it when any output could change. */
export const ISCC_TOOL = '@gongxin/iscc 0.1.0';
/** The standard and algorithm generation the codes follow. */
export const ISCC_STANDARD = 'ISO 24138:2024 v0';
