//go:build unix

package dyvms

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Regression (issue 12 point 15): a FIFO at ~/.aliyun/config.json made
// NewClient wait forever for a writer.
func TestProfileFIFODoesNotBlockNewClient(t *testing.T) {
	home := relClearEnv(t)
	dir := filepath.Join(home, ".aliyun")
	require.NoError(t, os.MkdirAll(dir, 0o700))
	fifo := filepath.Join(dir, "config.json")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))

	done := make(chan error, 1)
	go func() {
		_, err := NewClient(WithDefaultCredentialsChain())
		done <- err
	}()
	select {
	case err := <-done:
		assert.ErrorContains(t, err, "is not a regular file")
	case <-time.After(5 * time.Second):
		// Unblock the reader so the goroutine ends, then fail.
		if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			_ = w.Close()
		}
		<-done
		t.Fatal("NewClient blocked on a FIFO configuration file")
	}
}
