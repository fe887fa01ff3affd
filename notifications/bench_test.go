package notifications_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"google.golang.org/api/option"

	"github.com/jobbanken/jobkunde/models"
	"github.com/jobbanken/jobkunde/notifications"
	"github.com/jobbanken/jobkunde/notifications/fcmfake"
	"github.com/jobbanken/jobkunde/store/storetest"
)

// BenchmarkOutbox10k sends 10,000 notifications (1,000 people with one
// phone each, 10 events each; OUTBOX_BENCH_PEOPLE sets another number of
// people) through the outbox to a fake FCM and checks that every one
// arrived exactly once. On MongoDB two workers run at once,
// as two instances would; the embedded engine serves one instance (its
// SQLite file takes one writer at a time). Run with -benchtime 1x.
func BenchmarkOutbox10k(b *testing.B) {
	people, perPerson := 1000, 10
	if v, err := strconv.Atoi(os.Getenv("OUTBOX_BENCH_PEOPLE")); err == nil && v > 0 {
		people = v
	}
	for range b.N {
		b.StopTimer()
		ctx := context.Background()
		clk := storetest.NewClock(t0)
		st := storetest.Store(b, clk.Now)
		fake := fcmfake.New()
		for i := range people {
			u := models.User{ID: fmt.Sprintf("p-%04d", i), Role: models.RoleParticipant, Name: "Deltager", CreatedAt: t0}
			if err := st.InsertUser(ctx, u); err != nil {
				b.Fatal(err)
			}
			d := models.Device{ID: notifications.DeviceID(u.ID), UserID: u.ID, Token: "tok-" + u.ID, Platform: "android", Locale: "da", CreatedAt: t0, RefreshedAt: t0}
			if err := st.PutDevice(ctx, d); err != nil {
				b.Fatal(err)
			}
			for j := range perPerson {
				e := models.Event{ID: newID(), DedupeKey: fmt.Sprintf("bench/%d/%d", i, j), Type: "enrollment.approved",
					RecipientID: u.ID, CreatedAt: t0, DueAt: t0, State: models.EventPending}
				if err := st.RecordEvent(ctx, e); err != nil {
					b.Fatal(err)
				}
			}
		}
		n := 2
		if storetest.Embedded() {
			n = 1
		}
		workers := make([]*notifications.Service, n)
		for i := range workers {
			fcm, err := notifications.NewFCM(ctx, "test", option.WithEndpoint(fake.URL+"/v1"), option.WithoutAuthentication())
			if err != nil {
				b.Fatal(err)
			}
			workers[i] = notifications.New(st, fcm, notifications.Config{Batch: 100}, clk.Now, newID)
		}
		b.StartTimer()
		start := time.Now()
		var wg sync.WaitGroup
		for _, w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 1000 {
					if err := w.Tick(ctx); err != nil {
						b.Error(err)
						return
					}
					if len(fake.Accepted()) >= people*perPerson {
						return
					}
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		b.StopTimer()
		seen := map[string]int{}
		for _, m := range fake.Accepted() {
			seen[m.Token+"/"+m.Data["notificationId"]]++
		}
		dups := 0
		for _, n := range seen {
			dups += n - 1
		}
		lost := people*perPerson - len(seen)
		b.ReportMetric(float64(len(seen))/elapsed.Seconds(), "notifications/s")
		b.ReportMetric(float64(dups), "duplicates")
		b.ReportMetric(float64(lost), "lost")
		if dups != 0 || lost != 0 {
			b.Errorf("duplicates %d, lost %d", dups, lost)
		}
		fake.Close()
	}
}
