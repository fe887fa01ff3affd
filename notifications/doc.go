// Package notifications will turn outbox events into pushes and in-app inbox
// items (FCM through firebase.google.com/go/v4, templates in Danish and
// English, preferences per category).
//
// The outbox itself is already in place and every capability uses it the
// same way: a producer builds a models.Event with a unique DedupeKey (for
// example "waitlist.promoted:<enrolmentID>") and calls its Store's
// RecordEvent, which inserts the event in the "outbox" collection in state
// "pending". A repeated insert with the same key is a no-op, so producers may
// retry freely and each event exists once. This package will claim pending
// events, render and deliver them.
package notifications
