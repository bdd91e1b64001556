package gitcp

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/wf-tool/wf/gitcp/internal/refs"
	"github.com/wf-tool/wf/gitcp/internal/wildmatch"
)

// includeConds evaluates includeIf conditions as git's config.c does
// (include_by_gitdir, include_by_branch, include_by_remote_url;
// git-config(1) "Conditional includes").
type includeConds struct {
	gitDir string // the worktree's git dir, absolute
	branch string // the branch HEAD names at the end of its symref chain, without refs/heads/; "" when detached
	// remoteURLs are the remote.*.url values of the whole configuration;
	// nil in the first pass that collects them, where hasconfig
	// conditions are false.
	remoteURLs []string
	// sawHasconfig is set when a hasconfig condition was met.
	sawHasconfig bool
}

// match reports whether cond ("gitdir:PAT", "gitdir/i:PAT",
// "onbranch:PAT", "hasconfig:remote.*.url:PAT") holds; file is the config
// file holding it. An unknown condition is false, as in git.
func (ic *includeConds) match(cond, file string) bool {
	if p, ok := strings.CutPrefix(cond, "gitdir:"); ok {
		return ic.matchGitDir(p, file, false)
	}
	if p, ok := strings.CutPrefix(cond, "gitdir/i:"); ok {
		return ic.matchGitDir(p, file, true)
	}
	if p, ok := strings.CutPrefix(cond, "onbranch:"); ok {
		if ic.branch == "" || p == "" {
			return false
		}
		if strings.HasSuffix(p, "/") {
			p += "**"
		}
		return wildmatch.Match(p, ic.branch)
	}
	if p, ok := strings.CutPrefix(cond, "hasconfig:remote.*.url:"); ok {
		ic.sawHasconfig = true
		for _, u := range ic.remoteURLs {
			if wildmatch.Match(p, u) {
				return true
			}
		}
	}
	return false
}

// matchGitDir is include_by_gitdir: "~/" is the home folder, "./" the
// folder of the including file (its real path; that prefix is compared
// literally), a pattern that is not absolute gets "**/" in front and one
// ending in "/" gets "**" after. It is matched against the git dir's real
// path, then against its absolute path with symlinks kept.
func (ic *includeConds) matchGitDir(pat, file string, icase bool) bool {
	if ic.gitDir == "" || pat == "" {
		return false
	}
	if strings.HasPrefix(pat, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			pat = home + pat[1:] // not filepath.Join: the trailing "/" counts
		}
	}
	prefix := 0
	if strings.HasPrefix(pat, "./") {
		real, err := filepath.EvalSymlinks(file)
		if err != nil {
			real = file
		}
		if abs, err := filepath.Abs(real); err == nil {
			real = abs
		}
		dir := filepath.Dir(real)
		pat = dir + pat[1:]
		prefix = len(dir) + 1
	} else if !filepath.IsAbs(pat) {
		pat = "**/" + pat
	}
	if strings.HasSuffix(pat, "/") {
		pat += "**"
	}
	texts := []string{ic.gitDir}
	if real, err := filepath.EvalSymlinks(ic.gitDir); err == nil {
		texts = []string{real, ic.gitDir}
	}
	for _, text := range texts {
		if prefix > 0 {
			if len(text) < prefix || len(pat) < prefix {
				continue
			}
			a, b := pat[:prefix], text[:prefix]
			if a != b && !(icase && strings.EqualFold(a, b)) {
				continue
			}
		}
		match := wildmatch.Match
		if icase {
			match = wildmatch.MatchFold
		}
		if match(pat[prefix:], text[prefix:]) {
			return true
		}
	}
	return false
}

// headBranch is the branch HEAD names after following its chain of
// symbolic refs, without "refs/heads/"; "" when HEAD is detached or
// unreadable.
func headBranch(gitDir, commonDir string) string {
	st := refs.Store{GitDir: gitDir, CommonDir: commonDir}
	final, via, err := st.Chain("HEAD")
	if err != nil || len(via) == 0 {
		return ""
	}
	b, _ := strings.CutPrefix(final, "refs/heads/")
	if b == final {
		return ""
	}
	return b
}
