/* noop.c - the benchmark's floor: a program that does nothing (built static by tests/bench/run) */
int main(void)
{
	return 0;
}
