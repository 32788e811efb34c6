// malloc_trim(3): glibc's call to hand freed heap memory back to the kernel, which the Swift Glibc module does not
// declare.
#include <malloc.h>
