package gitcp

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/go-git/go-billy/v5/osfs"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/storage/filesystem"
	"github.com/wf-tool/wf/gitcp/internal/config"
	"github.com/wf-tool/wf/gitcp/internal/odb"
	"github.com/wf-tool/wf/gitcp/internal/refs"
)

// MainWorktreeName is the name [Repo.WorktreeName] reports for the main
// worktree (the one whose git dir is the common dir). A linked worktree that
// git itself named "main" is reported as "worktree-main" so the two never
// share refs/wf/<worktree>/checkpoints.
const MainWorktreeName = "main"

// Repo is a discovered git work tree. Discover only reads a few small files;
// the object database is opened on first use. A Repo is not safe for
// concurrent use by several goroutines, with one exception: a
// [WorktreeScan] runs beside its caller's reads of refs, objects and
// history (Head, ResolveRef, Log and the object reads under them), which
// it shares through locks. Writes must wait for the scan.
type Repo struct {
	TopLevel     string // absolute work-tree root
	GitDir       string // per-worktree git dir (wf keeps runtime data in GitDir/wf)
	CommonDir    string // git dir shared by all worktrees (objects, refs, config)
	WorktreeName string // MainWorktreeName for the main worktree, else the linked worktree's name
	// Prefix is the folder Discover started in, relative to TopLevel,
	// slash-separated and ending in "/" ("" at the top level): git's
	// GIT_PREFIX, which hooks see.
	Prefix string

	// LockWait is how long a commit, a switch or an index repair waits for
	// an existing git lock file (index.lock, HEAD.lock, <ref>.lock) to go
	// away before failing with [LockBusyError]. Zero means 2 seconds. Set
	// it after [Discover], before the first call that writes.
	LockWait time.Duration

	// ClaimLock, when set, is told each git lock file (index.lock,
	// HEAD.lock, <ref>.lock) this Repo is about to create, before it can
	// exist; an error from it aborts the write. Callers that journal their
	// writes record the claim so that after a crash they remove only lock
	// files they can prove their own ([RemoveClaimedLock]).
	ClaimLock func(LockClaim) error

	cfg *config.Config

	storeOnce sync.Once
	store     *filesystem.Storage

	// The own reader of packs and loose objects (internal/odb), opened on
	// first use; readObject takes objMu around it.
	objOnce sync.Once
	objMu   sync.Mutex
	objDB   *odb.DB
	objRd   *odb.Reader
	// fallbackMu serialises the reads through go-git's storage, which is
	// not safe for concurrent use (readFallback).
	fallbackMu sync.Mutex

	// packed keeps the packed-refs file between this Repo's lookups
	// (refStore); a compare under a ref's lock reads the file itself.
	packed refs.PackedCache
}

// allowedExtensions lists the repository extensions this package understands.
// The value check returns false for values it cannot handle.
var allowedExtensions = map[string]func(v string) bool{
	"noop":            func(string) bool { return true },
	"noop-v1":         func(string) bool { return true },
	"worktreeconfig":  func(string) bool { return true },
	"preciousobjects": func(string) bool { return true }, // we never delete objects
	"partialclone":    func(string) bool { return true }, // we only read objects the checkout already has
	"objectformat":    func(v string) bool { return strings.EqualFold(v, "sha1") },
}

// Discover finds the git work tree enclosing dir by walking up to the first
// folder holding ".git" (a folder, or a file "gitdir: <path>" as in linked
// worktrees and submodules). It reads the repository config and refuses
// repository format versions and extensions it does not know
// ([UnsupportedRepoError]) and bare repositories ([ErrBareRepository]). It
// returns an error wrapping [ErrNotRepository] when no repository is found.
// Like git, it does not walk up into the folders GIT_CEILING_DIRECTORIES
// lists (absolute paths separated by ":"; the folder it starts in is
// always looked at).
func Discover(dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	abs = filepath.Clean(abs)
	ceilings := map[string]bool{}
	for _, c := range filepath.SplitList(os.Getenv("GIT_CEILING_DIRECTORIES")) {
		if c != "" && filepath.IsAbs(c) {
			ceilings[filepath.Clean(c)] = true
		}
	}
	for d := abs; ; {
		r, err := openAt(d)
		if err != nil || r != nil {
			if r != nil && abs != d {
				if rel, err := filepath.Rel(d, abs); err == nil {
					r.Prefix = filepath.ToSlash(rel) + "/"
				}
			}
			return r, err
		}
		parent := filepath.Dir(d)
		if parent == d || ceilings[parent] {
			return nil, fmt.Errorf("%w: %s", ErrNotRepository, abs)
		}
		d = parent
	}
}

// openAt returns (nil, nil) when d holds no repository.
func openAt(d string) (*Repo, error) {
	dotgit := filepath.Join(d, ".git")
	fi, err := os.Lstat(dotgit)
	if err != nil {
		if isBareGitDir(d) {
			return nil, fmt.Errorf("%w: %s", ErrBareRepository, d)
		}
		return nil, nil
	}
	var gitDir string
	switch {
	case fi.IsDir():
		gitDir = dotgit
	case fi.Mode().IsRegular():
		data, err := os.ReadFile(dotgit)
		if err != nil {
			return nil, err
		}
		line := strings.TrimSpace(string(data))
		if !strings.HasPrefix(line, "gitdir:") {
			return nil, fmt.Errorf("%w: %s is not a gitdir file", ErrNotRepository, dotgit)
		}
		gitDir = strings.TrimSpace(strings.TrimPrefix(line, "gitdir:"))
		if !filepath.IsAbs(gitDir) {
			gitDir = filepath.Join(d, gitDir)
		}
	default:
		return nil, nil
	}
	gitDir = filepath.Clean(gitDir)
	if _, err := os.Stat(filepath.Join(gitDir, "HEAD")); err != nil {
		return nil, fmt.Errorf("%w: %s has no HEAD", ErrNotRepository, gitDir)
	}
	common := gitDir
	if data, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		c := strings.TrimSpace(string(data))
		if !filepath.IsAbs(c) {
			c = filepath.Join(gitDir, c)
		}
		common = filepath.Clean(c)
	}
	r := &Repo{TopLevel: d, GitDir: gitDir, CommonDir: common, WorktreeName: MainWorktreeName}
	if common != gitDir {
		r.WorktreeName = filepath.Base(gitDir)
		if r.WorktreeName == MainWorktreeName {
			r.WorktreeName = "worktree-" + MainWorktreeName
		}
	}
	if err := r.loadConfig(); err != nil {
		return nil, err
	}
	if r.cfg.Bool("core.bare", false) && common == gitDir {
		return nil, fmt.Errorf("%w: %s", ErrBareRepository, gitDir)
	}
	return r, nil
}

func isBareGitDir(d string) bool {
	for _, n := range []string{"HEAD", "objects", "refs"} {
		if _, err := os.Stat(filepath.Join(d, n)); err != nil {
			return false
		}
	}
	return true
}

// loadConfig reads system, global, repository and (with
// extensions.worktreeConfig) per-worktree configuration, following
// include.path and includeIf ([includeConds]), then the configuration
// given in the environment ([config.Config.ReadEnv]), and checks the
// repository format. When a hasconfig:remote.*.url: condition is met, the files are
// read twice, as git does: once to collect the remote URLs (hasconfig
// conditions false), then with them.
func (r *Repo) loadConfig() error {
	repoCfg := config.New()
	repoCfg.ReadFile(filepath.Join(r.CommonDir, "config"), 0)
	if err := checkFormat(repoCfg); err != nil {
		return err
	}
	conds := &includeConds{gitDir: r.GitDir, branch: headBranch(r.GitDir, r.CommonDir)}
	read := func() *config.Config {
		c := config.New()
		c.Cond = conds.match
		for _, p := range config.GlobalPaths() {
			c.ReadFile(p, 0)
		}
		c.ReadFile(filepath.Join(r.CommonDir, "config"), 0)
		if repoCfg.Bool("extensions.worktreeconfig", false) {
			c.ReadFile(filepath.Join(r.GitDir, "config.worktree"), 0)
		}
		return c
	}
	c := read()
	if conds.sawHasconfig {
		conds.remoteURLs = []string{}
		for _, k := range c.Keys() {
			if strings.HasPrefix(k, "remote.") && strings.HasSuffix(k, ".url") {
				conds.remoteURLs = append(conds.remoteURLs, c.GetAll(k)...)
			}
		}
		c = read()
	}
	// Then what the environment gives (git -c, GIT_CONFIG_COUNT), last.
	if err := c.ReadEnv(os.Getenv); err != nil {
		return err
	}
	r.cfg = c
	return nil
}

func checkFormat(c *config.Config) error {
	v, _ := c.Get("core.repositoryformatversion")
	v = strings.TrimSpace(v)
	if v != "" && v != "0" && v != "1" {
		return &UnsupportedRepoError{Setting: "core.repositoryformatversion", Value: v}
	}
	for _, key := range c.Keys() {
		name, ok := strings.CutPrefix(key, "extensions.")
		if !ok {
			continue
		}
		val, _ := c.Get(key)
		check, known := allowedExtensions[name]
		if !known || !check(val) {
			return &UnsupportedRepoError{Setting: "extensions." + name, Value: val}
		}
	}
	return nil
}

// CheckpointRef is the ref used by the "ref" commit mode:
// refs/wf/<WorktreeName>/checkpoints.
func (r *Repo) CheckpointRef() string {
	return "refs/wf/" + r.WorktreeName + "/checkpoints"
}

// WfDir is the folder for wf's runtime data: GitDir/wf. It is not created.
func (r *Repo) WfDir() string { return filepath.Join(r.GitDir, "wf") }

// Close releases open pack files, if the object database was opened.
func (r *Repo) Close() error {
	r.objMu.Lock()
	if r.objDB != nil {
		r.objDB.Close()
		r.objDB, r.objRd = nil, nil
	}
	r.objMu.Unlock()
	if r.store != nil {
		return r.store.Close()
	}
	return nil
}

// storage opens the object database lazily. Only the object layer of the
// go-git storage is used: refs, index and config are handled here, with
// git's lock protocol.
func (r *Repo) storage() *filesystem.Storage {
	r.storeOnce.Do(func() {
		r.store = filesystem.NewStorageWithOptions(osfs.New(r.CommonDir),
			cache.NewObjectLRU(256*cache.KiByte),
			// Absolute alternates for the fallback reads; the own
			// reader (internal/odb) follows relative ones too.
			filesystem.Options{KeepDescriptors: true, AlternatesFS: osfs.New("/")})
	})
	return r.store
}

// InProgress reports the git operation in progress in this worktree, or ""
// when none: "merge", "rebase", "am", "cherry-pick", "revert" or "bisect".
func (r *Repo) InProgress() (string, error) {
	checks := []struct{ path, op string }{
		{"rebase-merge", "rebase"},
		{"rebase-apply/applying", "am"},
		{"rebase-apply", "rebase"},
		{"MERGE_HEAD", "merge"},
		{"CHERRY_PICK_HEAD", "cherry-pick"},
		{"REVERT_HEAD", "revert"},
		{"sequencer/todo", "cherry-pick"},
		{"BISECT_LOG", "bisect"},
	}
	for _, c := range checks {
		_, err := os.Lstat(filepath.Join(r.GitDir, c.path))
		if err == nil {
			return c.op, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	return "", nil
}

// unsafeState builds the UnsafeStateError for op.
func unsafeState(op string) *UnsafeStateError {
	var hint string
	switch op {
	case "merge":
		hint = "finish the merge (git commit) or abort it (git merge --abort), or commit checkpoints with --on ref"
	case "rebase", "am":
		hint = fmt.Sprintf("finish the %s (git %s --continue) or abort it (git %s --abort), or commit checkpoints with --on ref", op, op, op)
	case "cherry-pick", "revert":
		hint = fmt.Sprintf("finish the %s (git %s --continue) or abort it (git %s --abort), or commit checkpoints with --on ref", op, op, op)
	case "bisect":
		hint = "end the bisect (git bisect reset), or commit checkpoints with --on ref"
	}
	return &UnsafeStateError{Op: op, Hint: hint}
}

// HeadInfo describes HEAD of a worktree.
type HeadInfo struct {
	// Branch is the full name of the ref HEAD points to at the end of its
	// chain of symbolic refs ("refs/heads/main"), the one a commit moves,
	// as git resolves it; "" when detached.
	Branch string
	// Via are the symbolic refs between HEAD and Branch (HEAD ->
	// refs/heads/alias -> refs/heads/main: ["refs/heads/alias"]); a
	// commit writes a reflog line for each, as git does.
	Via      []string
	Detached bool // HEAD holds a commit hash directly
	Unborn   bool // the branch has no commit yet
	Hash     Hash // the commit HEAD resolves to; zero when unborn
}

// ShortBranch is Branch without "refs/heads/".
func (h HeadInfo) ShortBranch() string { return strings.TrimPrefix(h.Branch, "refs/heads/") }

// Head reads HEAD of this worktree.
func (r *Repo) Head() (HeadInfo, error) {
	data, err := os.ReadFile(filepath.Join(r.GitDir, "HEAD"))
	if err != nil {
		return HeadInfo{}, err
	}
	l, err := refs.ParseLoose("HEAD", data)
	if err != nil {
		return HeadInfo{}, fmt.Errorf("malformed HEAD in %s: %q", r.GitDir, strings.TrimSpace(string(data)))
	}
	if l.Target != "" {
		final, via, err := r.refStore().Chain(l.Target)
		if err != nil {
			return HeadInfo{}, err
		}
		h, found, err := r.resolveRef(final)
		if err != nil {
			return HeadInfo{}, err
		}
		return HeadInfo{Branch: final, Via: via, Unborn: !found, Hash: h}, nil
	}
	return HeadInfo{Detached: true, Hash: l.ID}, nil
}

// ResolveRef resolves a full ref name ("refs/heads/main", "HEAD",
// "refs/wf/main/checkpoints") or a full hex hash to a commit hash.
func (r *Repo) ResolveRef(name string) (Hash, error) {
	if IsHash(name) {
		return NewHash(name), nil
	}
	if name == "HEAD" {
		h, err := r.Head()
		if err != nil {
			return Hash{}, err
		}
		if h.Unborn {
			return Hash{}, fmt.Errorf("HEAD: branch %s has no commits yet", h.ShortBranch())
		}
		return h.Hash, nil
	}
	for _, cand := range []string{name, "refs/heads/" + name, "refs/tags/" + name} {
		h, ok, err := r.resolveRef(cand)
		if err != nil {
			return Hash{}, err
		}
		if ok {
			return h, nil
		}
	}
	return Hash{}, fmt.Errorf("unknown ref %q", name)
}

// refStore locates this worktree's refs and reflogs.
func (r *Repo) refStore() refs.Store {
	return refs.Store{GitDir: r.GitDir, CommonDir: r.CommonDir, Packed: &r.packed}
}

// resolveRef reads a ref (loose, then packed-refs), following symbolic refs.
func (r *Repo) resolveRef(name string) (Hash, bool, error) {
	id, ok, err := r.refStore().Resolve(name)
	return id, ok, err
}
