// A power cut, simulated: loaded into ledgerd with LD_PRELOAD, it records, before every write to a file under
// $POWERCUT_DIR, what the write is about to replace (an undo record, appended to $POWERCUT_LOG), and after every
// fsync/fdatasync of such a file that what came before it is on the disk. After the process is killed, the test
// (LedgerTestSupport's PowerCut) rolls each file back to its last sync: all unsynced writes, or a random part of them
// page by page (a disk that wrote some pages and not others). Without both variables set it passes every call
// through untouched.
//
// Undo log records, native byte order: a tag byte, the path's length (u32) and bytes, then
//   'W' (a write or size change): offset (u64), the file's size before (u64), the replaced bytes' length (u64) and
//       bytes (those of the range that were inside the file), the written length (u64);
//   'S' (the file was synced);
//   'U' (the file was unlinked: what was pending for it is gone with it);
//   'R' (renamed): then the new path's length and bytes.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#define MAX_FDS 65536

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char *tracked[MAX_FDS];
static const char *prefix;
static size_t prefix_length;
static int log_fd = -1;
static int initialised;

static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwritev)(int, const struct iovec *, int, off_t);
static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_close)(int);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_ftruncate)(int, off_t);
static int (*real_posix_fallocate)(int, off_t, off_t);
static int (*real_fallocate)(int, int, off_t, off_t);
static int (*real_unlink)(const char *);
static int (*real_rename)(const char *, const char *);

static void initialise(void) {
    if (initialised) return;
    real_pwrite = dlsym(RTLD_NEXT, "pwrite");
    real_write = dlsym(RTLD_NEXT, "write");
    real_writev = dlsym(RTLD_NEXT, "writev");
    real_pwritev = dlsym(RTLD_NEXT, "pwritev");
    real_open = dlsym(RTLD_NEXT, "open");
    real_openat = dlsym(RTLD_NEXT, "openat");
    real_close = dlsym(RTLD_NEXT, "close");
    real_fsync = dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
    real_ftruncate = dlsym(RTLD_NEXT, "ftruncate");
    real_posix_fallocate = dlsym(RTLD_NEXT, "posix_fallocate");
    real_fallocate = dlsym(RTLD_NEXT, "fallocate");
    real_unlink = dlsym(RTLD_NEXT, "unlink");
    real_rename = dlsym(RTLD_NEXT, "rename");
    const char *dir = getenv("POWERCUT_DIR");
    const char *log = getenv("POWERCUT_LOG");
    if (dir && log) {
        prefix = dir;
        prefix_length = strlen(dir);
        log_fd = real_open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    }
    initialised = 1;
}

__attribute__((constructor)) static void power_cut_load(void) { initialise(); }

static int is_tracked_path(const char *path) {
    if (log_fd < 0 || !path || strncmp(path, prefix, prefix_length) != 0) return 0;
    if (path[prefix_length] != '/') return 0;
    // LMDB's lock file is rebuilt by whoever opens the environment next: a power cut cannot leave it inconsistent.
    const char *name = strrchr(path, '/');
    return strcmp(name, "/lock.mdb") != 0;
}

// A record is built whole and written with one write(2), so that a kill never leaves half of one in the log.
struct record {
    char *bytes;
    size_t length;
};

static void add(struct record *record, const void *bytes, size_t length) {
    char *grown = realloc(record->bytes, record->length + length);
    if (!grown) abort();
    memcpy(grown + record->length, bytes, length);
    record->bytes = grown;
    record->length += length;
}

static void add_path(struct record *record, const char *path) {
    uint32_t length = (uint32_t)strlen(path);
    add(record, &length, 4);
    add(record, path, length);
}

static void add_u64(struct record *record, uint64_t value) { add(record, &value, 8); }

static struct record begin(char tag, const char *path) {
    struct record record = {NULL, 0};
    add(&record, &tag, 1);
    add_path(&record, path);
    return record;
}

static void finish(struct record *record) {
    size_t done = 0;
    while (done < record->length) {
        ssize_t written = real_write(log_fd, record->bytes + done, record->length - done);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) abort();
        done += (size_t)written;
    }
    free(record->bytes);
}

static void log_head(char tag, const char *path) {
    struct record record = begin(tag, path);
    finish(&record);
}

// Records what a write of `length` bytes at `offset` to tracked `fd` replaces (size changes: `length` 0 and the
// new size as `offset`). Called with the lock held.
static void log_write(int fd, off_t offset, size_t length, off_t new_size) {
    struct stat info;
    if (fstat(fd, &info) != 0) abort();
    uint64_t size = (uint64_t)info.st_size;
    uint64_t start = (uint64_t)offset;
    uint64_t end = new_size >= 0 ? (uint64_t)new_size : start + length;
    if (new_size >= 0) {
        // A size change replaces the bytes it cuts off (none when it extends the file).
        start = (uint64_t)new_size < size ? (uint64_t)new_size : size;
        end = size;
    }
    uint64_t replaced = start < size ? (end < size ? end : size) - start : 0;
    char *old = replaced ? malloc(replaced) : NULL;
    if (replaced && !old) abort();
    uint64_t got = 0;
    while (got < replaced) {
        ssize_t count = pread(fd, old + got, replaced - got, (off_t)(start + got));
        if (count < 0 && errno == EINTR) continue;
        if (count <= 0) abort();
        got += (uint64_t)count;
    }
    struct record record = begin('W', tracked[fd]);
    add_u64(&record, start);
    add_u64(&record, size);
    add_u64(&record, replaced);
    if (replaced) add(&record, old, replaced);
    add_u64(&record, new_size >= 0 ? 0 : length);
    finish(&record);
    free(old);
}

// A descriptor opened with O_SYNC or O_DSYNC writes durably: it is not tracked (its writes need no undo).
static void track(int fd, const char *path, int flags) {
    if (fd < 0 || fd >= MAX_FDS) return;
    free(tracked[fd]);
    tracked[fd] = NULL;
    if (!is_tracked_path(path) || (flags & (O_SYNC | O_DSYNC))) return;
    tracked[fd] = strdup(path);
}

int open(const char *path, int flags, ...) {
    initialise();
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list arguments;
        va_start(arguments, flags);
        mode = va_arg(arguments, mode_t);
        va_end(arguments);
    }
    if (log_fd < 0 || !is_tracked_path(path)) {
        int fd = real_open(path, flags, mode);
        if (fd >= 0 && fd < MAX_FDS && tracked[fd]) {
            pthread_mutex_lock(&lock);
            free(tracked[fd]);
            tracked[fd] = NULL;
            pthread_mutex_unlock(&lock);
        }
        return fd;
    }
    pthread_mutex_lock(&lock);
    int truncating = (flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY;
    int fd = real_open(path, truncating ? flags & ~O_TRUNC : flags, mode);
    if (fd >= 0) {
        track(fd, path, flags);
        if (truncating && tracked[fd]) {
            log_write(fd, 0, 0, 0);
            real_ftruncate(fd, 0);
        }
    }
    pthread_mutex_unlock(&lock);
    return fd;
}

int open64(const char *path, int flags, ...) {
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list arguments;
        va_start(arguments, flags);
        mode = va_arg(arguments, mode_t);
        va_end(arguments);
    }
    return open(path, flags, mode);
}

int openat(int directory, const char *path, int flags, ...) {
    initialise();
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list arguments;
        va_start(arguments, flags);
        mode = va_arg(arguments, mode_t);
        va_end(arguments);
    }
    if (path[0] == '/') return open(path, flags, mode);
    return real_openat(directory, path, flags, mode);
}

int openat64(int directory, const char *path, int flags, ...) {
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list arguments;
        va_start(arguments, flags);
        mode = va_arg(arguments, mode_t);
        va_end(arguments);
    }
    return openat(directory, path, flags, mode);
}

int close(int fd) {
    initialise();
    if (log_fd >= 0 && fd >= 0 && fd < MAX_FDS && tracked[fd]) {
        pthread_mutex_lock(&lock);
        free(tracked[fd]);
        tracked[fd] = NULL;
        pthread_mutex_unlock(&lock);
    }
    return real_close(fd);
}

#define TRACKED(fd) (log_fd >= 0 && (fd) >= 0 && (fd) < MAX_FDS && tracked[(fd)])

ssize_t pwrite(int fd, const void *bytes, size_t length, off_t offset) {
    initialise();
    if (!TRACKED(fd)) return real_pwrite(fd, bytes, length, offset);
    pthread_mutex_lock(&lock);
    log_write(fd, offset, length, -1);
    ssize_t result = real_pwrite(fd, bytes, length, offset);
    pthread_mutex_unlock(&lock);
    return result;
}

ssize_t pwrite64(int fd, const void *bytes, size_t length, off_t offset) { return pwrite(fd, bytes, length, offset); }

ssize_t write(int fd, const void *bytes, size_t length) {
    initialise();
    if (!TRACKED(fd)) return real_write(fd, bytes, length);
    pthread_mutex_lock(&lock);
    off_t offset = lseek(fd, 0, SEEK_CUR);
    log_write(fd, offset, length, -1);
    ssize_t result = real_write(fd, bytes, length);
    pthread_mutex_unlock(&lock);
    return result;
}

static size_t total(const struct iovec *vectors, int count) {
    size_t sum = 0;
    for (int index = 0; index < count; index++) sum += vectors[index].iov_len;
    return sum;
}

ssize_t writev(int fd, const struct iovec *vectors, int count) {
    initialise();
    if (!TRACKED(fd)) return real_writev(fd, vectors, count);
    pthread_mutex_lock(&lock);
    off_t offset = lseek(fd, 0, SEEK_CUR);
    log_write(fd, offset, total(vectors, count), -1);
    ssize_t result = real_writev(fd, vectors, count);
    pthread_mutex_unlock(&lock);
    return result;
}

ssize_t pwritev(int fd, const struct iovec *vectors, int count, off_t offset) {
    initialise();
    if (!TRACKED(fd)) return real_pwritev(fd, vectors, count, offset);
    pthread_mutex_lock(&lock);
    log_write(fd, offset, total(vectors, count), -1);
    ssize_t result = real_pwritev(fd, vectors, count, offset);
    pthread_mutex_unlock(&lock);
    return result;
}

ssize_t pwritev64(int fd, const struct iovec *vectors, int count, off_t offset) {
    return pwritev(fd, vectors, count, offset);
}

// fsync and fdatasync: once `sync` succeeds, what was written to the file before is on the disk.
static int synced(int fd, int (*sync)(int)) {
    if (!TRACKED(fd)) return sync(fd);
    pthread_mutex_lock(&lock);
    int result = sync(fd);
    if (result == 0) log_head('S', tracked[fd]);
    pthread_mutex_unlock(&lock);
    return result;
}

int fsync(int fd) {
    initialise();
    return synced(fd, real_fsync);
}

int fdatasync(int fd) {
    initialise();
    return synced(fd, real_fdatasync);
}

int ftruncate(int fd, off_t size) {
    initialise();
    if (!TRACKED(fd)) return real_ftruncate(fd, size);
    pthread_mutex_lock(&lock);
    struct stat info;
    if (fstat(fd, &info) == 0 && info.st_size != size) log_write(fd, 0, 0, size);
    int result = real_ftruncate(fd, size);
    pthread_mutex_unlock(&lock);
    return result;
}

int ftruncate64(int fd, off_t size) { return ftruncate(fd, size); }

// Records the growth an allocation of `offset + length` bytes makes. Called with the lock held.
static void log_growth(int fd, off_t offset, off_t length) {
    struct stat info;
    if (fstat(fd, &info) == 0 && offset + length > info.st_size) log_write(fd, 0, 0, offset + length);
}

int posix_fallocate(int fd, off_t offset, off_t length) {
    initialise();
    if (!TRACKED(fd)) return real_posix_fallocate(fd, offset, length);
    pthread_mutex_lock(&lock);
    log_growth(fd, offset, length);
    int result = real_posix_fallocate(fd, offset, length);
    pthread_mutex_unlock(&lock);
    return result;
}

int posix_fallocate64(int fd, off_t offset, off_t length) { return posix_fallocate(fd, offset, length); }

int fallocate(int fd, int mode, off_t offset, off_t length) {
    initialise();
    if (!TRACKED(fd)) return real_fallocate(fd, mode, offset, length);
    pthread_mutex_lock(&lock);
    log_growth(fd, offset, length);
    int result = real_fallocate(fd, mode, offset, length);
    pthread_mutex_unlock(&lock);
    return result;
}

int unlink(const char *path) {
    initialise();
    if (!is_tracked_path(path)) return real_unlink(path);
    pthread_mutex_lock(&lock);
    int result = real_unlink(path);
    if (result == 0) log_head('U', path);
    pthread_mutex_unlock(&lock);
    return result;
}

int rename(const char *from, const char *to) {
    initialise();
    if (!is_tracked_path(from) && !is_tracked_path(to)) return real_rename(from, to);
    pthread_mutex_lock(&lock);
    int result = real_rename(from, to);
    if (result == 0) {
        struct record record = begin('R', from);
        add_path(&record, to);
        finish(&record);
    }
    pthread_mutex_unlock(&lock);
    return result;
}
