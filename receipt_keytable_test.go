package dyvms

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// markIndex agrees with a Go map through random sets and deletes, in an
// index small enough that probe runs wrap around and deletions shift
// entries back. Each set writes the key into the ring at its sequence
// number first, as MemoryDeduper does.
func TestMarkIndexMatchesMap(t *testing.T) {
	var x markIndex
	ring := make(markRing, 1<<18)
	ref := map[ReceiptKey]uint64{}
	key := func(i int) ReceiptKey { return sha256.Sum256(binary.AppendUvarint(nil, uint64(i))) }
	for op := 1; op < 200_000; op++ {
		k := key(rand.IntN(300))
		seq := uint64(op)
		switch rand.IntN(3) {
		case 0, 1:
			ring.at(seq).key = k
			x.set(&k, seq, ring)
			ref[k] = seq
		default:
			want, ok := ref[k]
			x.delIf(&k, want+1, ring) // not the latest mark: stays
			got, found := x.get(&k, ring)
			require.Equal(t, ok, found)
			require.Equal(t, want, got)
			x.delIf(&k, want, ring)
			delete(ref, k)
		}
		if op%1000 == 0 {
			require.Equal(t, len(ref), x.used)
			for i := 0; i < 300; i++ {
				k := key(i)
				got, ok := x.get(&k, ring)
				want, wantOK := ref[k]
				require.Equal(t, wantOK, ok, "key %d", i)
				require.Equal(t, want, got, "key %d", i)
			}
		}
	}
	assert.LessOrEqual(t, len(x.slots), 512, "the index holds at most 300 keys")
}

// An index past keepKeySlots that empties is kept while it is still
// growing in bursts, and dropped once it has not grown for keepIdle.
func TestMarkIndexDropsIdlePeak(t *testing.T) {
	var x markIndex
	ring := make(markRing, 2*keepKeySlots)
	fill := func(n int) {
		for i := 0; i < n; i++ {
			ring[i].key = sha256.Sum256(binary.AppendUvarint(nil, uint64(i)))
			x.set(&ring[i].key, uint64(i), ring)
		}
		for i := 0; i < n; i++ {
			k := ring[i].key
			x.delIf(&k, uint64(i), ring)
		}
	}
	fill(keepKeySlots)
	assert.Greater(t, len(x.slots), keepKeySlots, "kept: it just grew")
	x.grown = time.Now().Add(-2 * keepIdle)
	fill(1)
	assert.Nil(t, x.slots, "dropped: idle past keepIdle")
	fill(100)
	assert.Equal(t, 0, x.used)
	assert.LessOrEqual(t, len(x.slots), 256, "a small index is kept")
}

// MemoryDeduper agrees with a plain model (the last max marks, oldest
// first) after every mark, through the ring's growth to a maximum that is
// no power of two, and with keys marked again.
func TestMemoryDeduperMatchesModel(t *testing.T) {
	const max = 300
	d := NewMemoryDeduper(max, time.Hour)
	var marks []int // the model: keys of the last max marks
	live := func() map[int]bool {
		m := map[int]bool{}
		for _, k := range marks {
			m[k] = true
		}
		return m
	}
	for op := 0; op < 3000; op++ {
		k := rand.IntN(500)
		d.MarkDelivered(dkey(fmt.Sprint(k)))
		if marks = append(marks, k); len(marks) > max {
			marks = marks[1:]
		}
		want := live()
		require.Equal(t, len(want), d.Len(), "op %d", op)
		if op%10 == 0 || op < 600 {
			for k := 0; k < 500; k++ {
				require.Equal(t, want[k], d.Delivered(dkey(fmt.Sprint(k))), "op %d key %d", op, k)
			}
		}
	}
	assert.Equal(t, max, len(d.ring))
}
