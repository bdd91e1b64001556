package lifecycle

import (
	"errors"
	"testing"

	"github.com/wf-tool/wf/mdstate"
)

// A redo after a hand save finds the item the first attempt resolved by
// its identity, not its number (first-use/15), and refuses when that is
// ambiguous or gone.
func TestPinsFollowIdentity(t *testing.T) {
	before := mdstate.ParseTodo("TODO.md", []byte("# TODO\n\n## Planning\n- [ ] a\n- [x] b\n- [x] c\n"))
	p := pins{}
	it, err := p.resolve(before, "3")
	if err != nil || it.Text != "c" {
		t.Fatalf("first resolve = %v, %v", it, err)
	}
	saved := mdstate.ParseTodo("TODO.md", []byte("# TODO\n\n## Planning\n- [ ] a\n- [ ] a2 (added in an editor)\n- [x] b\n- [x] c\n"))
	it, err = p.resolve(saved, "3")
	if err != nil || it.Text != "c" || it.N != 4 {
		t.Fatalf("redo resolve = %+v, %v; want item 4 (c)", it, err)
	}
	twice := mdstate.ParseTodo("TODO.md", []byte("# TODO\n\n## Planning\n- [x] c\n- [ ] a\n- [x] c\n"))
	var me *MovedItemError
	if _, err := p.resolve(twice, "3"); !errors.As(err, &me) || me.Found != 2 {
		t.Fatalf("ambiguous: err = %v", err)
	}
	gone := mdstate.ParseTodo("TODO.md", []byte("# TODO\n\n## Planning\n- [ ] a\n- [x] b\n"))
	if _, err := p.resolve(gone, "3"); !errors.As(err, &me) || me.Found != 0 {
		t.Fatalf("gone: err = %v", err)
	}
	other := mdstate.ParseTodo("TODO.md", []byte("# TODO\n\n## Testing\n- [x] c\n"))
	if _, err := p.resolve(other, "3"); !errors.As(err, &me) {
		t.Fatalf("same text in another phase must not match: err = %v", err)
	}
}
