// fallocate(2) and its mode flags, which the Swift Glibc module does not declare (glibc does only under _GNU_SOURCE):
// LMDB's data file gets disk blocks reserved past its end without its size changing (FALLOC_FL_KEEP_SIZE).
#include <linux/falloc.h>
#include <sys/types.h>

int fallocate(int fd, int mode, off_t offset, off_t len);
