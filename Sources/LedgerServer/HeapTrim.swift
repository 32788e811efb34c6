import CMalloc

/// Hands the heap memory freed by a large piece of work (a catch-up, a first checkpoint, a rebuild) back to the
/// kernel. glibc keeps freed memory in the arena of the thread that allocated it, and replay allocates on several
/// threads, so without this the daemon's resident size stays near its peak long after the work is done.
enum HeapTrim {
    static func now() {
        _ = malloc_trim(0)
    }
}
