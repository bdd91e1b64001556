package odb

import (
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wf-tool/wf/gitcp/gittest"
)

// packEntry is an object for buildPack: a whole object of type typ (1 to
// 4), or with typ 7 a reference delta on base.
type packEntry struct {
	id   [20]byte
	typ  byte
	base [20]byte
	data []byte
}

// buildPack writes a pack and its version 2 index holding entries (CRCs
// and the index checksum are left zero: the reader does not check them).
func buildPack(entries []packEntry) (idx, pack []byte) {
	be := binary.BigEndian
	pack = append([]byte("PACK"), 0, 0, 0, 2)
	pack = be.AppendUint32(pack, uint32(len(entries)))
	offs := map[[20]byte]uint32{}
	for _, e := range entries {
		offs[e.id] = uint32(len(pack))
		size := len(e.data)
		c := e.typ<<4 | byte(size&15)
		for size >>= 4; size > 0; size >>= 7 {
			pack = append(pack, c|0x80)
			c = byte(size & 0x7f)
		}
		pack = append(pack, c)
		if e.typ == 7 {
			pack = append(pack, e.base[:]...)
		}
		pack = append(pack, deflate(string(e.data))...)
	}
	sum := sha1.Sum(pack)
	pack = append(pack, sum[:]...)

	ids := make([][20]byte, 0, len(entries))
	for _, e := range entries {
		ids = append(ids, e.id)
	}
	sort.Slice(ids, func(i, j int) bool { return bytes.Compare(ids[i][:], ids[j][:]) < 0 })
	idx = append([]byte("\xfftOc"), 0, 0, 0, 2)
	for b := range 256 {
		n := sort.Search(len(ids), func(i int) bool { return int(ids[i][0]) > b })
		idx = be.AppendUint32(idx, uint32(n))
	}
	for _, id := range ids {
		idx = append(idx, id[:]...)
	}
	idx = append(idx, make([]byte, 4*len(ids))...)
	for _, id := range ids {
		idx = be.AppendUint32(idx, offs[id])
	}
	idx = append(idx, sum[:]...)
	return append(idx, make([]byte, 20)...), pack
}

func TestBuildPackReads(t *testing.T) {
	blob := []byte("hello world\n")
	id := HashObject(3, blob)
	delta := []byte{byte(len(blob)), 17, 0x90, 12, 5, 'a', 'g', 'a', 'i', 'n'} // copy 12 from 0, insert "again"
	did := HashObject(3, []byte("hello world\nagain"))
	idx, pack := buildPack([]packEntry{{id: id, typ: 3, data: blob}, {id: did, typ: 7, base: id, data: delta}})
	if n, err := readPack(idx, pack); err != nil || n != 2 {
		t.Fatalf("%d objects, %v", n, err)
	}
}

// TestDeltaCycleAcrossPacks: two packs whose reference deltas name each
// other's object as base. The depth of a delta chain used to restart at
// zero when the base was in another pack, so this recursed until the
// stack overflowed; now it is a bounded chain like any other.
func TestDeltaCycleAcrossPacks(t *testing.T) {
	x, y := [20]byte{1}, [20]byte{2}
	delta := []byte{0, 1, 1, 'z'}
	idxA, packA := buildPack([]packEntry{{id: x, typ: 7, base: y, data: delta}})
	idxB, packB := buildPack([]packEntry{{id: y, typ: 7, base: x, data: delta}})
	a, err := newPack("a.pack", idxA, packA)
	if err != nil {
		t.Fatal(err)
	}
	b, err := newPack("b.pack", idxB, packB)
	if err != nil {
		t.Fatal(err)
	}
	r := NewReader(&DB{objects: t.TempDir(), packs: []*packFile{a, b}})
	if _, _, err := r.Read(x); err == nil || !strings.Contains(err.Error(), "delta chain too long") {
		t.Fatalf("Read: %v", err)
	}
}

// TestHasMatchesGit checks DB.Has against git cat-file -e for packed,
// loose, missing objects and objects of an alternate.
func TestHasMatchesGit(t *testing.T) {
	dir := gittest.NewRepo(t)
	gittest.Write(t, dir, "a.txt", "packed\n")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "one")
	gittest.Git(t, dir, "gc", "-q")
	gittest.Write(t, dir, "b.txt", "loose\n")
	gittest.Git(t, dir, "add", "-A")
	gittest.Git(t, dir, "commit", "-q", "-m", "two")
	objects := filepath.Join(dir, ".git", "objects")
	db := Open(objects)
	defer db.Close()
	ids := strings.Fields(gittest.Git(t, dir, "rev-list", "--objects", "--no-object-names", "--all"))
	ids = append(ids, "0123456789abcdef0123456789abcdef01234567")
	for _, id := range ids {
		var h [20]byte
		hex.Decode(h[:], []byte(id))
		_, err := gittest.TryGit(dir, "cat-file", "-e", id)
		found, sure := db.Has(h)
		if found != (err == nil) || !sure {
			t.Errorf("Has(%s) = %v, %v; git cat-file -e: %v", id, found, sure, err)
		}
	}
	// An object only an alternate holds is found, and surely so.
	other := gittest.NewRepo(t)
	gittest.Write(t, other, "c.txt", "only in the alternate\n")
	gittest.Git(t, other, "add", "-A")
	gittest.Git(t, other, "commit", "-q", "-m", "alt")
	altID := gittest.Git(t, other, "rev-parse", "HEAD")
	gittest.Write(t, objects, "info/alternates", filepath.Join(other, ".git", "objects")+"\n")
	alt := Open(objects)
	defer alt.Close()
	var h [20]byte
	hex.Decode(h[:], []byte(altID))
	if found, sure := alt.Has(h); !found || !sure {
		t.Errorf("object of the alternate: Has = %v, %v; want true, true", found, sure)
	}
	if found, sure := alt.Has([20]byte{1}); found || !sure {
		t.Errorf("missing object: Has = %v, %v; want false, true", found, sure)
	}
}
