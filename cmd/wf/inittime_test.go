package main

import (
	"bufio"
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// initTimeCalls are the functions that must not run while wf starts
// (issue 12): compiling a regexp at package level costs every command,
// --version included, its time and allocations, whether the command
// uses the regexp or not. Compile them on first use (sync.OnceValue) or
// match by hand.
var initTimeCalls = map[string]map[string]bool{
	"regexp": {"MustCompile": true, "Compile": true, "MustCompilePOSIX": true, "CompilePOSIX": true},
}

// TestNoRegexpCompiledAtStartUp parses the non-test Go files of every
// package of this module that the wf binary links (go list -deps) and
// fails for a package-level variable or an init function that calls one
// of initTimeCalls outside a function literal.
func TestNoRegexpCompiledAtStartUp(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}|{{.Dir}}|{{join .GoFiles \" \"}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	fset := token.NewFileSet()
	checked := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		path, rest, _ := strings.Cut(sc.Text(), "|")
		dir, files, _ := strings.Cut(rest, "|")
		if path != module && !strings.HasPrefix(path, module+"/") {
			continue
		}
		for _, name := range strings.Fields(files) {
			f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			checked++
			for _, pos := range initTimeCallsIn(f) {
				t.Errorf("%s: runs at start-up; compile it on first use (sync.OnceValue) or match by hand", fset.Position(pos))
			}
		}
	}
	if checked == 0 {
		t.Fatal("go list named no Go files of the module")
	}
}

// initTimeCallsIn returns the positions of the calls of initTimeCalls
// that f makes at package initialisation: in the values of package-level
// variables and in init functions, function literals excepted unless
// called there and then.
func initTimeCallsIn(f *ast.File) []token.Pos {
	local := map[string]string{} // the name a file gives a package -> its path
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		name := p[strings.LastIndexByte(p, '/')+1:]
		if im.Name != nil {
			name = im.Name.Name
		}
		local[name] = p
	}
	var found []token.Pos
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if lit, ok := n.Fun.(*ast.FuncLit); ok { // func() T { … }(): runs now
				ast.Inspect(lit.Body, visit)
			}
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
				if id, ok := sel.X.(*ast.Ident); ok && initTimeCalls[local[id.Name]][sel.Sel.Name] {
					found = append(found, n.Pos())
				}
			}
		}
		return true
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			if d.Tok == token.VAR {
				for _, s := range d.Specs {
					for _, v := range s.(*ast.ValueSpec).Values {
						ast.Inspect(v, visit)
					}
				}
			}
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.Name == "init" && d.Body != nil {
				ast.Inspect(d.Body, visit)
			}
		}
	}
	return found
}
