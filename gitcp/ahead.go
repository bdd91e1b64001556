package gitcp

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/internal/odb"
)

// CommitsSince walks the history of from (all parents) without going past
// base and returns how many commits it met: the commits made since base
// when base is an ancestor of from (reached true). It stops after max
// commits (0: no limit) with reached false, as it does when base is not in
// from's history; n is then the number of commits looked at.
func (r *Repo) CommitsSince(from, base Hash, max int) (n int, reached bool, err error) {
	if from == base {
		return 0, true, nil
	}
	if from.IsZero() {
		return 0, false, nil
	}
	db := odb.Open(filepath.Join(r.CommonDir, "objects"))
	defer db.Close()
	rd := odb.NewReader(db)
	seen := map[Hash]bool{from: true}
	queue := []Hash{from}
	for len(queue) > 0 {
		h := queue[0]
		queue = queue[1:]
		if h == base {
			reached = true
			continue
		}
		if max > 0 && n >= max {
			return n, false, nil
		}
		n++
		data, err := r.rawCommit(rd, h, nil)
		if err != nil {
			return n, false, err
		}
		for _, p := range parseRawCommit(h, data).parents {
			if !seen[p] {
				seen[p] = true
				queue = append(queue, p)
			}
		}
	}
	return n, reached, nil
}

// rawCommit reads commit h with rd (valid until rd's next read), falling
// back to go-git, under slow when several goroutines read, for objects
// outside the local packs and loose objects (alternates).
func (r *Repo) rawCommit(rd *odb.Reader, h Hash, slow *sync.Mutex) ([]byte, error) {
	t, data, err := rd.Read(h)
	if errors.Is(err, odb.ErrNotHere) {
		if slow != nil {
			slow.Lock()
			defer slow.Unlock()
		}
		return r.readObject(plumbing.CommitObject, h)
	}
	if err != nil {
		return nil, err
	}
	if t != plumbing.CommitObject {
		return nil, fmt.Errorf("read commit %s: object is a %s", h, t)
	}
	return data, nil
}
