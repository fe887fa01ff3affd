package models

import (
	"sync"
	"time"
)

// Copenhagen is Europe/Copenhagen, the zone of every calendar rule
// (sessions, follow-ups, office hours, anniversaries, quiet hours). cmd/api
// embeds time/tzdata, so the zone is always there; if it is not, the binary
// was built wrong and no date rule can be right, hence the panic rather
// than a silent UTC.
var Copenhagen = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		panic("load Europe/Copenhagen (import time/tzdata): " + err.Error())
	}
	return loc
})
