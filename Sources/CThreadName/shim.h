// pthread_setname_np(3): names an OS thread for top -H, ps -L and perf. glibc declares it only under _GNU_SOURCE,
// which the Swift Glibc module is not built with.
#include <pthread.h>

int pthread_setname_np(pthread_t thread, const char *name);
