package lifecycle

import (
	"fmt"

	"github.com/wf-tool/wf/mdstate"
)

// itemID is what identifies an item across a hand edit: its text, its
// phase (the H2 above it) and its parent's text.
type itemID struct {
	text, phase, parent string
}

func idOf(it *mdstate.Item) itemID {
	id := itemID{text: it.Text, phase: it.Phase}
	if it.Parent != nil {
		id.parent = it.Parent.Text
	}
	return id
}

// pins resolves item references within one [workspace.Workspace.Update]:
// the first attempt by [ResolveItem] (number or text), and a redo, run
// because a hand save landed meanwhile, by the identity the first attempt
// found, never by number again: a save that inserted an item above would
// shift the numbers (first-use/15).
type pins map[string]itemID

// resolve returns the item ref names in t.
func (p pins) resolve(t *mdstate.Todo, ref string) (*mdstate.Item, error) {
	id, ok := p[ref]
	if !ok {
		it, err := ResolveItem(t, ref)
		if err != nil {
			return nil, err
		}
		p[ref] = idOf(it)
		return it, nil
	}
	var found []*mdstate.Item
	for _, it := range t.Items {
		if idOf(it) == id {
			found = append(found, it)
		}
	}
	if len(found) == 1 {
		return found[0], nil
	}
	return nil, &MovedItemError{Ref: ref, Text: id.text, Phase: id.phase, Found: len(found)}
}

// MovedItemError is returned when a hand save landed while wf edited
// TODO.md and the item the command named can no longer be told apart:
// it is gone, or several items now have its text in its phase.
type MovedItemError struct {
	Ref, Text, Phase string
	Found            int // items with its text, phase and parent now
}

func (e *MovedItemError) Error() string {
	where := ""
	if e.Phase != "" {
		where = " in " + e.Phase
	}
	if e.Found == 0 {
		return fmt.Sprintf("TODO.md was saved by hand while wf edited it, and item %s (%s)%s is no longer there; nothing was changed", e.Ref, e.Text, where)
	}
	return fmt.Sprintf("TODO.md was saved by hand while wf edited it, and %d items%s now read %q; wf cannot tell which one item %s was; nothing was changed", e.Found, where, e.Text, e.Ref)
}

// Hint says how to go on.
func (e *MovedItemError) Hint() string {
	return "wf todo list, then run the command again with the item's new number"
}
