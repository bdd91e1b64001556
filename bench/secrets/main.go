// Command secrets measures the secret guard's refusals on a source tree:
// it walks each folder given, runs the check a commit runs
// (gitcp.ScanSecrets) on every regular file up to gitcp.MaxFileSize, with
// its path relative to that folder, and prints one line per file the
// guard would refuse (path, line, rule), then a count.
//
//	go run ./bench/secrets [-rules] [-unhide] DIR...
//
// -rules prints a count per rule at the end. -unhide renames node_modules
// and vendor folders in the paths the guard sees, so that a path
// allowlist for them would not hide their files from the measurement
// (wf's rules have none today). See
// BENCHMARKS.md.
package main

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/wf-tool/wf/gitcp"
)

// unhidden renames node_modules and vendor folders in a path.
func unhidden(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts[:len(parts)-1] {
		if s == "node_modules" || s == "vendor" || s == "bower_components" {
			parts[i] = s + "_"
		}
	}
	return strings.Join(parts, "/")
}

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("secrets", flag.ContinueOnError)
	fl.SetOutput(stderr)
	perRule := fl.Bool("rules", false, "print a count per rule")
	unhide := fl.Bool("unhide", false, "rename node_modules and vendor folders in the paths scanned")
	if err := fl.Parse(args); err != nil || fl.NArg() == 0 {
		fmt.Fprintln(stderr, "usage: secrets [-rules] [-unhide] DIR...")
		return 2
	}
	byRule := map[string]int{}
	var files, refused, skipped int
	var bytes int64
	start := time.Now()
	for _, root := range fl.Args() {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == ".git" {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.Type().IsRegular() {
				return nil
			}
			fi, err := d.Info()
			if err != nil {
				return err
			}
			if fi.Size() > gitcp.MaxFileSize {
				skipped++
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			files++
			bytes += int64(len(data))
			name := filepath.ToSlash(rel)
			if *unhide {
				name = unhidden(name)
			}
			found, err := gitcp.ScanSecrets(name, data)
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			if len(found) > 0 {
				refused++
				byRule[found[0].Rule]++
				fmt.Fprintf(stdout, "%s:%d\t%s\n", filepath.ToSlash(rel), found[0].Line, found[0].Rule)
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(stderr, "secrets:", err)
			return 1
		}
	}
	fmt.Fprintf(stdout, "%d of %d files refused (%.1f MB scanned in %s; %d files over %d MB not scanned)\n",
		refused, files, float64(bytes)/(1<<20), time.Since(start).Round(time.Millisecond), skipped, gitcp.MaxFileSize>>20)
	if *perRule {
		var ids []string
		for id := range byRule {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool {
			return byRule[ids[i]] > byRule[ids[j]] || byRule[ids[i]] == byRule[ids[j]] && ids[i] < ids[j]
		})
		for _, id := range ids {
			fmt.Fprintf(stdout, "%6d %s\n", byRule[id], id)
		}
	}
	return 0
}
