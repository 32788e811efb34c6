// fallocate(2) with its mode flags, and statfs(2) with filesystem magic numbers, which the Swift Glibc module does not
// declare (glibc declares fallocate only under _GNU_SOURCE): LMDB's data file gets disk blocks reserved past its end
// without its size changing (FALLOC_FL_KEEP_SIZE), where the filesystem keeps them for overwrites (not copy-on-write).
#include <linux/falloc.h>
#include <linux/magic.h>
#include <sys/types.h>
#include <sys/vfs.h>

int fallocate(int fd, int mode, off_t offset, off_t len);
