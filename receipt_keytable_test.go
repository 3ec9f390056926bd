package dyvms

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// keyTable agrees with a Go map through random sets and deletes, in a table
// small enough that probe runs wrap around and deletions shift entries back.
func TestKeyTableMatchesMap(t *testing.T) {
	var tab keyTable[int]
	ref := map[ReceiptKey]int{}
	key := func(i int) ReceiptKey { return sha256.Sum256(binary.AppendUvarint(nil, uint64(i))) }
	for op := 0; op < 200_000; op++ {
		k := key(rand.IntN(300))
		switch rand.IntN(4) {
		case 0:
			v, held := tab.getOrSet(k, op)
			want, wantHeld := ref[k]
			require.Equal(t, wantHeld, held)
			if !held {
				want, ref[k] = op, op
			}
			require.Equal(t, want, v)
		case 1, 2:
			tab.set(k, op)
			ref[k] = op
		default:
			v := ref[k]
			tab.delIf(k, v+1) // wrong value: stays
			tab.delIf(k, v)
			delete(ref, k)
		}
		if op%1000 == 0 {
			require.Equal(t, len(ref), tab.used)
			for i := 0; i < 300; i++ {
				got, ok := tab.get(key(i))
				want, wantOK := ref[key(i)]
				require.Equal(t, wantOK, ok, "key %d", i)
				require.Equal(t, want, got, "key %d", i)
			}
		}
	}
	assert.LessOrEqual(t, len(tab.hashes), 512, "the table holds at most 300 keys")
}

// A table past keepKeySlots that empties is kept while it is still growing
// in bursts, and dropped once it has not grown for keepIdle.
func TestKeyTableDropsIdlePeak(t *testing.T) {
	var tab keyTable[int]
	fill := func(n int) {
		for i := 0; i < n; i++ {
			tab.set(sha256.Sum256(binary.AppendUvarint(nil, uint64(i))), i)
		}
		for i := 0; i < n; i++ {
			tab.delIf(sha256.Sum256(binary.AppendUvarint(nil, uint64(i))), i)
		}
	}
	fill(keepKeySlots)
	assert.Greater(t, len(tab.hashes), keepKeySlots, "kept: it just grew")
	tab.grown = time.Now().Add(-2 * keepIdle)
	fill(1)
	assert.Nil(t, tab.hashes, "dropped: idle past keepIdle")
	fill(100)
	assert.Equal(t, 0, tab.used)
	assert.LessOrEqual(t, len(tab.hashes), 256, "a small table is kept")
}
