// lstat.c: the cost of stat calls on this machine, the floor under the
// work-tree walk of wf resume and git status (BENCHMARKS.md, issue 12).
// Reads paths (one per line, relative to TOP) from stdin and times, five
// rounds each: lstat by the path relative to the current folder (TOP),
// statx by the absolute path, statx relative to TOP held open with
// O_PATH (what wf's walk does), and getppid(2) for a syscall that does
// nothing.
//   usage: (cd TOP && git ls-files) | lstat TOP
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double ms(struct timespec a, struct timespec b) {
	return (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
}

int main(int argc, char **argv) {
	if (argc != 2) {
		fprintf(stderr, "usage: (cd TOP && git ls-files) | lstat TOP\n");
		return 2;
	}
	size_t cap = 1 << 16, n = 0;
	char **rel = malloc(cap * sizeof *rel), **abs = malloc(cap * sizeof *abs);
	char line[4096];
	while (n < cap && fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\n")] = 0;
		rel[n] = strdup(line);
		abs[n] = malloc(strlen(argv[1]) + strlen(line) + 2);
		sprintf(abs[n], "%s/%s", argv[1], line);
		n++;
	}
	if (chdir(argv[1]) != 0) {
		perror(argv[1]);
		return 1;
	}
	int top = open(".", O_PATH | O_DIRECTORY);
	struct stat st;
	struct statx sx;
	struct timespec a, b;
	for (int r = 0; r < 5; r++) {
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (size_t i = 0; i < n; i++) lstat(rel[i], &st);
		clock_gettime(CLOCK_MONOTONIC, &b);
		double t1 = ms(a, b);
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (size_t i = 0; i < n; i++) statx(AT_FDCWD, abs[i], AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx);
		clock_gettime(CLOCK_MONOTONIC, &b);
		double t2 = ms(a, b);
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (size_t i = 0; i < n; i++) statx(top, rel[i], AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx);
		clock_gettime(CLOCK_MONOTONIC, &b);
		double t3 = ms(a, b);
		clock_gettime(CLOCK_MONOTONIC, &a);
		for (int i = 0; i < 100000; i++) syscall(SYS_getppid);
		clock_gettime(CLOCK_MONOTONIC, &b);
		printf("%zu paths: lstat relative %.2f ms, statx absolute %.2f ms, statx from the open top %.2f ms (%.2f us each); getppid %.3f us\n",
		       n, t1, t2, t3, t3 * 1e3 / n, ms(a, b) * 1e3 / 100000);
	}
	return 0;
}
