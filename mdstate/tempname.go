package mdstate

import "strings"

// tempInfix is what marks the temp files of [WriteFileAtomic]: a temp
// file for "TODO.md" is ".TODO.md.wf-tmp-<random>" in the same folder.
const tempInfix = ".wf-tmp-"

// tempPattern is the os.CreateTemp pattern of the temp file for a file
// named base.
func tempPattern(base string) string { return "." + base + tempInfix + "*" }

// IsTempName reports whether the base name name is one of wf's own temp
// files (".NAME.wf-tmp-…", written and renamed by [WriteFileAtomic]). It is
// the one matcher of those names: the watcher ignores them, and a test
// pins it to the names WriteFileAtomic really makes.
func IsTempName(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, tempInfix)
}
