/* array.h - growing arrays */
#ifndef TAPGATE_ARRAY_H
#define TAPGATE_ARRAY_H

#include <stddef.h>

/**
 * array_grow() - make room for @need elements in a growing array
 * @arr:	address of the array pointer (NULL while empty)
 * @cap:	its capacity in elements, updated
 * @need:	elements needed
 * @size:	element size
 *
 * The capacity doubles, starting at 8, so appending n elements costs
 * O(n) copies in all.
 * Return: 0, or -ENOMEM (the array is unchanged).
 */
int array_grow(void *arr, size_t *cap, size_t need, size_t size);

#endif /* TAPGATE_ARRAY_H */
