package notifications

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jobbanken/jobkunde/apperr"
	"github.com/jobbanken/jobkunde/models"
)

// Push is one message to one device.
type Push struct {
	Token       string
	Title, Body string
	Data        map[string]string
	CollapseKey string
	TTL         time.Duration // 0: the platform default
	Urgent      bool
}

// Outcome classifies the answer to one push.
type Outcome int

// The outcomes.
const (
	Delivered Outcome = iota // accepted by FCM
	Gone                     // the token is no longer valid (UNREGISTERED, or not ours): remove the device
	Retry                    // try again later (429, 5xx)
	Rejected                 // this message will never be accepted (bad argument): give up on it
)

// Result is the outcome of one push; Err says why when not Delivered.
type Result struct {
	Outcome Outcome
	Err     error
}

// Sender pushes messages; *FCM satisfies it with the Firebase SDK.
type Sender interface {
	Send(ctx context.Context, pushes []Push) ([]Result, error)
}

// Tick does one round: turn new outbox events into notifications, then
// send what is due. Every instance runs it on a timer (cmd/api); claims keep
// them from doing work twice.
func (s *Service) Tick(ctx context.Context) error {
	for {
		n, err := s.Convert(ctx)
		if err != nil {
			return err
		}
		if n < s.cfg.Batch {
			break
		}
	}
	for {
		n, err := s.Deliver(ctx)
		if err != nil {
			return err
		}
		if n < s.cfg.Batch {
			return nil
		}
	}
}

// Convert turns pending outbox events into notifications. The
// notification takes the event's dedupe key, so an event converted twice
// (two instances, or a crash before it was marked) makes one notification.
// It returns how many events it looked at.
func (s *Service) Convert(ctx context.Context) (int, error) {
	events, err := s.store.PendingEvents(ctx, s.cfg.Batch)
	if err != nil || len(events) == 0 {
		return 0, err
	}
	users, acts, err := s.namedBy(ctx, events)
	if err != nil {
		return 0, err
	}
	ids := make([]string, len(events))
	for i, e := range events {
		if err := s.convert(ctx, e, users, acts); err != nil {
			return 0, fmt.Errorf("convert %s: %w", e.Type, err)
		}
		ids[i] = e.ID
	}
	if err := s.store.MarkEventsConsumed(ctx, ids); err != nil {
		return 0, err
	}
	return len(events), nil
}

// namedBy loads, in one query each, the recipients of events with the
// people their parameters name, and the activities they name.
func (s *Service) namedBy(ctx context.Context, events []models.Event) (map[string]models.User, map[string]models.Activity, error) {
	seen := map[string]bool{}
	var ids, activityIDs []string
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, e := range events {
		add(e.RecipientID)
		for _, k := range personParams {
			if v, ok := e.Params[k].(string); ok {
				add(v)
			}
		}
		if v, ok := e.Params["activityId"].(string); ok && v != "" {
			activityIDs = append(activityIDs, v)
		}
	}
	slices.Sort(activityIDs)
	list, err := s.store.UsersByID(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	users := make(map[string]models.User, len(list))
	for _, u := range list {
		users[u.ID] = u
	}
	acts, err := s.store.ActivitiesByID(ctx, slices.Compact(activityIDs))
	if err != nil {
		return nil, nil, err
	}
	return users, acts, nil
}

// personParams are the parameters that name a person, each with the name
// parameter the texts use.
var personParams = []string{"counselorId", "participantId", "senderId", "standInId"}

func (s *Service) convert(ctx context.Context, e models.Event, users map[string]models.User, acts map[string]models.Activity) error {
	u, ok := users[e.RecipientID]
	if !ok {
		return nil // the recipient is gone: nothing to tell
	}
	n := NotificationFor(e, u, users, acts, s.newID(), s.now())
	if err := s.store.InsertNotification(ctx, n); err != nil && !apperr.Is(err, apperr.Conflict) {
		return err
	}
	return s.retract(ctx, e, templateFor(e.Type, u.Role), n.Params)
}

// NotificationFor is the pending notification the worker makes of event e
// for its recipient u, under id at createdAt: the template's category and
// urgency for u's role, the parameters with the names of the people
// (users) and the titles of the activities (acts) they name. It is how
// the worker converts, and how `api seed` writes history as the worker
// would have made it.
func NotificationFor(e models.Event, u models.User, users map[string]models.User, acts map[string]models.Activity, id string, createdAt time.Time) models.Notification {
	t := templateFor(e.Type, u.Role)
	params := resolve(e.Params, users, acts)
	n := models.Notification{
		ID: id, RecipientID: u.ID, RecipientRole: u.Role, DedupeKey: e.DedupeKey, Category: t.Category,
		Template: e.Type, Params: params, Urgent: t.Urgent, CollapseKey: e.CollapseKey, CreatedAt: createdAt,
		DueAt: e.DueAt, ExpiresAt: e.ExpiresAt, State: models.NotifyPending,
	}
	if n.DueAt.IsZero() {
		n.DueAt = e.CreatedAt
	}
	n.NextPushAt = n.DueAt
	if n.CollapseKey == "" {
		n.CollapseKey = collapseFor(params)
	}
	return n
}

// collapseFor groups notifications about one session or activity, so a
// later one (moved, cancelled) replaces the earlier on the phone.
func collapseFor(params map[string]string) string {
	switch {
	case params["sessionId"] != "":
		return "session/" + params["sessionId"]
	case params["activityId"] != "":
		return "activity/" + params["activityId"]
	}
	return ""
}

// retract handles a cancellation: the recipient's reminders about the
// cancelled session or activity that are not sent yet are cancelled, and
// those already sent are marked so the inbox shows them as cancelled. The
// cancellation itself goes out with the same collapse key, which replaces
// the reminder on the phone.
func (s *Service) retract(ctx context.Context, e models.Event, t Template, params map[string]string) error {
	key := t.Retracts
	value := params[key]
	if key == "" || value == "" {
		return nil
	}
	list, err := s.store.NotificationsAbout(ctx, e.RecipientID, key, value)
	if err != nil {
		return err
	}
	for _, n := range list {
		if n.DedupeKey == e.DedupeKey || n.Template == e.Type {
			continue
		}
		switch n.State {
		case models.NotifyPending:
			n.State = models.NotifyCancelled
		default:
			n.Retracted = true
		}
		if err := s.store.FinishNotification(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

// resolve turns the IDs an event carries into the names and times its
// text needs; the IDs stay too (the app links to them).
func resolve(in map[string]any, users map[string]models.User, acts map[string]models.Activity) map[string]string {
	out := make(map[string]string, len(in)+2)
	for k, v := range in {
		switch x := v.(type) {
		case string:
			out[k] = x
		case time.Time:
			out[k] = x.UTC().Format(time.RFC3339)
		case interface{ Time() time.Time }: // a date as the database decodes it
			out[k] = x.Time().UTC().Format(time.RFC3339)
		case float64:
			out[k] = trimFloat(x)
		case nil:
		default:
			out[k] = fmt.Sprint(x)
		}
	}
	for _, idKey := range personParams {
		if id := out[idKey]; id != "" {
			out[strings.TrimSuffix(idKey, "Id")+"Name"] = users[id].Name
		}
	}
	if id := out["activityId"]; id != "" {
		a := acts[id] // a deleted activity leaves the titles empty
		out["activityTitle"], out["activityTitleEn"] = a.Title.Da, a.Title.En
	}
	return out
}

func trimFloat(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	if s[len(s)-1] == '.' {
		s = s[:len(s)-1]
	}
	return s
}

// backoff is the wait after the n-th failed attempt: 10 s, 20 s, 40 s …
// at most an hour.
func backoff(n int) time.Duration {
	d := 10 * time.Second << min(max(n-1, 0), 9)
	return min(d, time.Hour)
}

// Deliver claims due notifications and pushes them. It returns how many it
// looked at.
func (s *Service) Deliver(ctx context.Context) (int, error) {
	now := s.now()
	due, err := s.store.DueNotifications(ctx, now, s.cfg.Batch)
	if err != nil || len(due) == 0 {
		return 0, err
	}
	ids := make([]string, len(due))
	for i, n := range due {
		ids[i] = n.ID
	}
	claimed, err := s.store.ClaimNotifications(ctx, ids, now, now.Add(s.cfg.Lease), s.newID())
	if err != nil {
		return 0, err
	}
	recipients := map[string]bool{}
	var recipientIDs []string
	for _, n := range claimed {
		if !recipients[n.RecipientID] {
			recipients[n.RecipientID] = true
			recipientIDs = append(recipientIDs, n.RecipientID)
		}
	}
	prefs, err := s.prefsOf(ctx, recipientIDs)
	if err != nil {
		return 0, err
	}
	devices := map[string][]models.Device{}
	var noPush map[string]bool
	if s.sender != nil {
		if noPush, err = s.withoutPushConsent(ctx, recipientIDs); err != nil {
			return 0, err
		}
		list, err := s.store.DevicesOfUsers(ctx, recipientIDs)
		if err != nil {
			return 0, err
		}
		for _, d := range list {
			devices[d.UserID] = append(devices[d.UserID], d)
		}
	}

	type job struct {
		n       models.Notification
		retry   bool
		errText string
	}
	var done []models.Notification // settled without a push
	var jobs []*job
	var pushes []Push
	var deviceOf []models.Device
	var jobOf []*job
	for _, n := range claimed {
		n.LeaseUntil, n.LeaseOwner = time.Time{}, ""
		p := prefs[n.RecipientID]
		channel := p.Categories[n.Category]
		switch {
		case n.ExpiresAt != nil && !n.ExpiresAt.After(now):
			n.State = models.NotifyExpired
		case channel == ChannelOff && !mustKeep[n.Category]:
			n.State = models.NotifyOff
		case channel != ChannelPush && channel != ChannelOff, s.sender == nil, noPush[n.RecipientID]:
			n.State = models.NotifyInboxOnly
		case channel == ChannelOff: // a category that cannot be off: inbox only
			n.State = models.NotifyInboxOnly
		}
		if n.State != models.NotifyPending {
			done = append(done, n)
			continue
		}
		if until := quietUntil(p, now); until.After(now) && !n.Urgent {
			n.NextPushAt = until // wait for the morning
			done = append(done, n)
			continue
		}
		j := &job{n: n}
		jobs = append(jobs, j)
		for _, d := range devices[n.RecipientID] {
			del := models.Delivery{ID: n.ID + "/" + d.ID, NotificationID: n.ID, DeviceID: d.ID, State: "sent", At: now}
			if err := s.store.InsertDelivery(ctx, del); apperr.Is(err, apperr.Conflict) {
				continue // this device has it (or may have it) already: never twice
			} else if err != nil {
				return 0, err
			}
			pushes = append(pushes, s.push(n, d, now))
			deviceOf = append(deviceOf, d)
			jobOf = append(jobOf, j)
		}
	}
	if len(pushes) > 0 {
		results, err := s.sender.Send(ctx, pushes)
		if err != nil {
			// The whole batch failed (e.g. FCM unreachable): every push retries.
			results = make([]Result, len(pushes))
			for i := range results {
				results[i] = Result{Outcome: Retry, Err: err}
			}
		}
		for i, r := range results {
			d, j := deviceOf[i], jobOf[i]
			delID := j.n.ID + "/" + d.ID
			switch r.Outcome {
			case Gone:
				if err = s.store.DeleteDeviceByID(ctx, d.ID); err == nil {
					err = s.store.SetDeliveryState(ctx, delID, "gone")
				}
			case Retry:
				j.retry, j.errText = true, errString(r.Err)
				err = s.store.DeleteDelivery(ctx, delID) // so the retry may send to this device
			case Rejected:
				j.errText = errString(r.Err)
				err = s.store.SetDeliveryState(ctx, delID, "rejected")
			}
			if err != nil {
				return 0, err
			}
		}
	}
	for _, j := range jobs {
		n := j.n
		switch {
		case j.retry && n.Attempts+1 >= s.cfg.MaxAttempts:
			n.State, n.LastError = models.NotifyFailed, "gave up after retries: "+j.errText
		case j.retry:
			n.Attempts++
			n.NextPushAt, n.LastError = now.Add(backoff(n.Attempts)), j.errText
		default:
			n.State, n.SentAt, n.LastError = models.NotifySent, &now, j.errText
		}
		done = append(done, n)
	}
	if err := s.store.FinishNotifications(ctx, done); err != nil {
		return 0, err
	}
	return len(due), nil
}

// push words n for one device, in the device's language.
func (s *Service) push(n models.Notification, d models.Device, now time.Time) Push {
	title, body := Render(n, d.Locale, now)
	p := Push{Token: d.Token, Title: title, Body: body, CollapseKey: n.CollapseKey, Urgent: n.Urgent,
		Data: map[string]string{"notificationId": n.ID, "type": n.Template, "category": n.Category}}
	for _, k := range []string{"activityId", "sessionId", "participantId", "messageId", "checkInId", "celebrationId"} {
		if v := n.Params[k]; v != "" {
			p.Data[k] = v
		}
	}
	if templateFor(n.Template, n.RecipientRole).Retracts != "" {
		p.Data["retract"] = n.CollapseKey
	}
	if n.ExpiresAt != nil {
		p.TTL = n.ExpiresAt.Sub(now)
	}
	return p
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return ae.Code
	}
	s := err.Error()
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
