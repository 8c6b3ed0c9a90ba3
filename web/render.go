package web

import (
	"bytes"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// renderBuffers keeps the buffers pages are rendered into (templ's own
// pool, a sync.Pool, is emptied by every garbage collection: a chronology
// page's buffer then grew afresh to 80–140 KB every few pages).
var renderBuffers = make(bufferList, 8)

// maxKeptBuffer is the largest buffer kept for reuse.
const maxKeptBuffer = 1 << 20

// bufferList keeps up to cap(l) buffers for reuse, none larger than
// maxKeptBuffer.
type bufferList freeList[*bytes.Buffer]

// get returns a kept buffer, empty, or a new one.
func (l bufferList) get() *bytes.Buffer {
	return freeList[*bytes.Buffer](l).get(func() *bytes.Buffer { return new(bytes.Buffer) })
}

// put keeps b for reuse, unless it grew too large or the list is full.
func (l bufferList) put(b *bytes.Buffer) {
	if b.Cap() <= maxKeptBuffer {
		b.Reset()
		freeList[*bytes.Buffer](l).put(b)
	}
}

// render writes component into a buffer first, so that a render error
// becomes a clean error page rather than half a page.
func render(c echo.Context, status int, component templ.Component) error {
	buf := renderBuffers.get()
	defer renderBuffers.put(buf)
	if err := component.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}
