/*
 * faultaround: how much of a mapped file becomes resident when a process
 * touches one page in every 64 (BENCHMARKS.md, "Peak memory"), with and
 * without madvise. The kernel maps a window of the page cache around
 * each fault (fault-around), so a program touching scattered code pages
 * of its binary gets most of it resident; this shows whether an madvise
 * advice changes that.
 *
 *   gcc -O2 -o /tmp/faultaround bench/memory/faultaround.c
 *   /tmp/faultaround FILE            (no advice)
 *   /tmp/faultaround FILE 1          (MADV_RANDOM; 2 is MADV_SEQUENTIAL)
 *
 * Prints the Rss line of /proc/self/smaps_rollup after the touches.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
	if (argc < 2) {
		fprintf(stderr, "usage: faultaround FILE [ADVICE]\n");
		return 2;
	}
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	off_t n = lseek(fd, 0, SEEK_END);
	char *p = mmap(0, n, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	if (argc > 2 && madvise(p, n, atoi(argv[2])) != 0) {
		perror("madvise");
		return 1;
	}
	volatile long sum = 0;
	for (off_t i = 0; i < n; i += 4096 * 64)
		sum += p[i];
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[256];
	while (f && fgets(line, sizeof line, f))
		if (line[0] == 'R' && line[1] == 's' && line[2] == 's')
			fputs(line, stdout);
	return 0;
}
