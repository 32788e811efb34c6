// ppoll(2): poll with a nanosecond timeout, for ledger-bench's open-loop pacing. glibc declares it only under
// _GNU_SOURCE, which the Swift Glibc module is not built with.
#include <poll.h>
#include <signal.h>
#include <time.h>

int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout, const sigset_t *sigmask);
