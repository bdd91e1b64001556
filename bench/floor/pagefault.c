// pagefault.c: the cost of a page fault on this machine (BENCHMARKS.md,
// issue 12): 4,000 pages of fresh anonymous memory written, then 4,000
// pages of FILE (a binary, in the page cache) read, one byte each.
//   usage: pagefault FILE   (FILE at least 16 MB)
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
	if (argc != 2) {
		fprintf(stderr, "usage: pagefault FILE\n");
		return 2;
	}
	const long n = 4000, page = 4096;
	struct timespec a, b;
	char *p = mmap(0, n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++) p[i * page] = 1;
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("anonymous: %.2f us per page\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3 / n);
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	volatile char s = 0;
	char *q = mmap(0, n * page, PROT_READ, MAP_PRIVATE, fd, 0);
	if (q == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (long i = 0; i < n; i++) s += q[i * page];
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("file, in the page cache: %.2f us per page\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / 1e3 / n);
	return 0;
}
