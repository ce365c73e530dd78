/* array.c - growing arrays */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "array.h"

int array_grow(void *arr, size_t *cap, size_t need, size_t size)
{
	void **p = arr;
	size_t ncap = *cap ? *cap : 8;
	void *n;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / size)
			return -ENOMEM;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / size)
		return -ENOMEM;
	n = realloc(*p, ncap * size);
	if (!n)
		return -ENOMEM;
	*p = n;
	*cap = ncap;
	return 0;
}
