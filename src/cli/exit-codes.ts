/** Exit codes (DESIGN.md "Commands"). */
export const EXIT_OK = 0;
export const EXIT_INPUT = 1;
export const EXIT_RUNTIME = 2;
export const EXIT_GATE = 3;
/** A run ended by Ctrl-C (SIGINT), after its report was written: 128 + SIGINT, as shells report it. */
export const EXIT_INTERRUPTED = 130;
