package gitcp

import (
	"errors"
	"fmt"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/wf-tool/wf/gitcp/internal/odb"
)

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
