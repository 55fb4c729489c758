#ifndef NETLAB_MALLOC_COUNTER_H
#define NETLAB_MALLOC_COUNTER_H

/// Allocations counted so far in this process (malloc, calloc, realloc and the aligned ones).
/// The library is meant to be preloaded (LD_PRELOAD) into a process under test, never linked:
/// it replaces the allocator's entry points to count them, and at exit writes the count to the
/// file named by NETLAB_MALLOC_COUNT_FILE. Tests use it to hold the engine to its promise of no
/// allocation per event.
unsigned long netlab_malloc_count(void);

#endif
