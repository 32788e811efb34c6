// setxattr(2), which the Swift Glibc module does not declare: the socket's access list is an extended attribute.
#include <sys/xattr.h>
