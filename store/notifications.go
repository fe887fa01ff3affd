package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/jobbanken/jobkunde/models"
)

// Collections of the notifications capability.
const (
	colNotifications = "notifications"
	colDeliveries    = "deliveries"
	colDevices       = "devices"
	colNotifyPrefs   = "notification_prefs"
)

// hiddenStates are notifications the inbox does not show.
var hiddenStates = bson.A{models.NotifyCancelled, models.NotifyOff}

// PendingEvents returns outbox events not yet turned into notifications,
// oldest first.
func (s *Store) PendingEvents(ctx context.Context, limit int) ([]models.Event, error) {
	return findAll[models.Event](ctx, s.c(colOutbox), bson.D{{Key: "state", Value: models.EventPending}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(limit)))
}

// MarkEventsConsumed records that events became notifications.
func (s *Store) MarkEventsConsumed(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := s.c(colOutbox).UpdateMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: models.EventConsumed}}}}); err != nil {
		return fmt.Errorf("consume events: %w", err)
	}
	return nil
}

// InsertNotification stores a notification; one with the same dedupe key
// is a Conflict.
func (s *Store) InsertNotification(ctx context.Context, n models.Notification) error {
	return insert(ctx, s.c(colNotifications), n, "notification.exists", "This notification exists already.")
}

// DueNotifications returns pending notifications due for a push and not
// held by a live claim, earliest first.
func (s *Store) DueNotifications(ctx context.Context, now time.Time, limit int) ([]models.Notification, error) {
	return findAll[models.Notification](ctx, s.c(colNotifications), bson.D{
		{Key: "state", Value: models.NotifyPending},
		{Key: "nextPushAt", Value: bson.D{{Key: "$lte", Value: now}}},
		{Key: "leaseUntil", Value: bson.D{{Key: "$lte", Value: now}}},
	}, options.Find().SetSort(bson.D{{Key: "nextPushAt", Value: 1}}).SetLimit(int64(limit)))
}

// ClaimNotifications takes those of ids that are still pending and not
// held by a live claim, for owner until leaseUntil, and returns them. A
// claim left by a worker that died runs out and can be taken again. (On
// the embedded engine two workers may both think they hold one; the
// per-device delivery records keep that from pushing twice.)
func (s *Store) ClaimNotifications(ctx context.Context, ids []string, now, leaseUntil time.Time, owner string) ([]models.Notification, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in := bson.D{{Key: "$in", Value: ids}}
	_, err := s.c(colNotifications).UpdateMany(ctx, bson.D{
		{Key: "_id", Value: in}, {Key: "state", Value: models.NotifyPending},
		{Key: "leaseUntil", Value: bson.D{{Key: "$lte", Value: now}}},
	}, bson.D{{Key: "$set", Value: bson.D{{Key: "leaseUntil", Value: leaseUntil}, {Key: "leaseOwner", Value: owner}}}})
	if err != nil {
		return nil, fmt.Errorf("claim notifications: %w", err)
	}
	return findAll[models.Notification](ctx, s.c(colNotifications), bson.D{{Key: "_id", Value: in}, {Key: "leaseOwner", Value: owner}})
}

// FinishNotification writes back a notification the worker handled.
func (s *Store) FinishNotification(ctx context.Context, n models.Notification) error {
	return s.FinishNotifications(ctx, []models.Notification{n})
}

// FinishNotifications writes back notifications the worker handled, in one
// round trip.
func (s *Store) FinishNotifications(ctx context.Context, list []models.Notification) error {
	if len(list) == 0 {
		return nil
	}
	// In chunks: the embedded engine runs each write of a bulk as its own
	// scan, and one long bulk would outlast the client's timeout.
	const chunk = 50
	for start := 0; start < len(list); start += chunk {
		part := list[start:min(start+chunk, len(list))]
		writes := make([]mongo.WriteModel, len(part))
		for i, n := range part {
			writes[i] = mongo.NewReplaceOneModel().SetFilter(byID(n.ID)).SetReplacement(n)
		}
		if _, err := s.c(colNotifications).BulkWrite(ctx, writes); err != nil {
			return fmt.Errorf("update notifications: %w", err)
		}
	}
	return nil
}

// NotificationsAbout returns a recipient's notifications whose parameter
// key has value (e.g. the reminders of one session).
func (s *Store) NotificationsAbout(ctx context.Context, recipientID, key, value string) ([]models.Notification, error) {
	return findAll[models.Notification](ctx, s.c(colNotifications), bson.D{
		{Key: "recipientId", Value: recipientID}, {Key: "params." + key, Value: value},
	})
}

func inboxFilter(recipientID string, now time.Time) bson.D {
	return bson.D{
		{Key: "recipientId", Value: recipientID},
		{Key: "dueAt", Value: bson.D{{Key: "$lte", Value: now}}},
		{Key: "state", Value: bson.D{{Key: "$nin", Value: hiddenStates}}},
	}
}

// Inbox returns one page of a recipient's due notifications, newest first.
func (s *Store) Inbox(ctx context.Context, recipientID string, now time.Time, p models.Page) ([]models.Notification, string, error) {
	return pageNewest(ctx, s.c(colNotifications), inboxFilter(recipientID, now), p, func(n models.Notification) string { return n.ID })
}

// UnreadCount counts a recipient's due notifications not yet read, up to
// limit (a badge shows "99+" beyond that; the count stays a bounded read).
func (s *Store) UnreadCount(ctx context.Context, recipientID string, now time.Time, limit int) (int, error) {
	filter := append(inboxFilter(recipientID, now), bson.E{Key: "readAt", Value: bson.D{{Key: "$exists", Value: false}}})
	n, err := s.c(colNotifications).CountDocuments(ctx, filter, options.Count().SetLimit(int64(limit)))
	if err != nil {
		return 0, fmt.Errorf("count unread: %w", err)
	}
	return int(n), nil
}

// MarkNotificationsRead marks some of a recipient's notifications read.
func (s *Store) MarkNotificationsRead(ctx context.Context, recipientID string, ids []string, at time.Time) error {
	_, err := s.c(colNotifications).UpdateMany(ctx, bson.D{
		{Key: "recipientId", Value: recipientID}, {Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}},
		{Key: "readAt", Value: bson.D{{Key: "$exists", Value: false}}},
	}, bson.D{{Key: "$set", Value: bson.D{{Key: "readAt", Value: at}}}})
	if err != nil {
		return fmt.Errorf("mark read: %w", err)
	}
	return nil
}

// MarkAllNotificationsRead marks every notification of a recipient due by
// at read, at at.
func (s *Store) MarkAllNotificationsRead(ctx context.Context, recipientID string, at time.Time) error {
	filter := append(inboxFilter(recipientID, at), bson.E{Key: "readAt", Value: bson.D{{Key: "$exists", Value: false}}})
	if _, err := s.c(colNotifications).UpdateMany(ctx, filter, bson.D{{Key: "$set", Value: bson.D{{Key: "readAt", Value: at}}}}); err != nil {
		return fmt.Errorf("mark all read: %w", err)
	}
	return nil
}

// PutDevice stores a device, replacing the record of the same token.
func (s *Store) PutDevice(ctx context.Context, d models.Device) error {
	var old models.Device
	err := s.c(colDevices).FindOne(ctx, byID(d.ID)).Decode(&old)
	if err == nil {
		d.CreatedAt = old.CreatedAt
	} else if !errors.Is(err, mongo.ErrNoDocuments) {
		return fmt.Errorf("find device: %w", err)
	}
	if _, err := s.c(colDevices).ReplaceOne(ctx, byID(d.ID), d, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("put device: %w", err)
	}
	return nil
}

// DeleteDevice removes one of a user's devices; a missing one is no error.
func (s *Store) DeleteDevice(ctx context.Context, userID, id string) error {
	if _, err := s.c(colDevices).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "userId", Value: userID}}); err != nil {
		return fmt.Errorf("delete device: %w", err)
	}
	return nil
}

// DeleteDeviceByID removes a device FCM no longer knows.
func (s *Store) DeleteDeviceByID(ctx context.Context, id string) error {
	if _, err := s.c(colDevices).DeleteOne(ctx, byID(id)); err != nil {
		return fmt.Errorf("delete device: %w", err)
	}
	return nil
}

// DeleteDevicesOfSession removes the devices registered with a login
// session (on logout).
func (s *Store) DeleteDevicesOfSession(ctx context.Context, sessionID string) error {
	if _, err := s.c(colDevices).DeleteMany(ctx, bson.D{{Key: "sessionId", Value: sessionID}}); err != nil {
		return fmt.Errorf("delete devices: %w", err)
	}
	return nil
}

// DevicesOfUsers returns the devices of several users.
func (s *Store) DevicesOfUsers(ctx context.Context, userIDs []string) ([]models.Device, error) {
	if len(userIDs) == 0 {
		return nil, nil
	}
	return findAll[models.Device](ctx, s.c(colDevices), bson.D{{Key: "userId", Value: bson.D{{Key: "$in", Value: userIDs}}}})
}

// NotificationPrefsOf returns the saved preferences of several users.
func (s *Store) NotificationPrefsOf(ctx context.Context, userIDs []string) ([]models.NotificationPrefs, error) {
	if len(userIDs) == 0 {
		return nil, nil
	}
	return findAll[models.NotificationPrefs](ctx, s.c(colNotifyPrefs), bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: userIDs}}}})
}

// DevicesOf returns a user's devices.
func (s *Store) DevicesOf(ctx context.Context, userID string) ([]models.Device, error) {
	return findAll[models.Device](ctx, s.c(colDevices), bson.D{{Key: "userId", Value: userID}})
}

// InsertDelivery records a push to one device before it is sent; a second
// one for the same notification and device is a Conflict.
func (s *Store) InsertDelivery(ctx context.Context, d models.Delivery) error {
	return insert(ctx, s.c(colDeliveries), d, "delivery.exists", "Delivered already.")
}

// SetDeliveryState records how a push went.
func (s *Store) SetDeliveryState(ctx context.Context, id, state string) error {
	if _, err := s.c(colDeliveries).UpdateOne(ctx, byID(id), bson.D{{Key: "$set", Value: bson.D{{Key: "state", Value: state}}}}); err != nil {
		return fmt.Errorf("delivery state: %w", err)
	}
	return nil
}

// DeleteDelivery forgets a push that failed and will be retried.
func (s *Store) DeleteDelivery(ctx context.Context, id string) error {
	if _, err := s.c(colDeliveries).DeleteOne(ctx, byID(id)); err != nil {
		return fmt.Errorf("delete delivery: %w", err)
	}
	return nil
}

// NotificationPrefs returns a user's preferences; ok is false when none
// were saved.
func (s *Store) NotificationPrefs(ctx context.Context, userID string) (models.NotificationPrefs, bool, error) {
	var p models.NotificationPrefs
	err := s.c(colNotifyPrefs).FindOne(ctx, byID(userID)).Decode(&p)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return models.NotificationPrefs{}, false, nil
	}
	if err != nil {
		return models.NotificationPrefs{}, false, fmt.Errorf("find preferences: %w", err)
	}
	return p, true, nil
}

// PutNotificationPrefs saves a user's preferences.
func (s *Store) PutNotificationPrefs(ctx context.Context, p models.NotificationPrefs) error {
	if _, err := s.c(colNotifyPrefs).ReplaceOne(ctx, byID(p.UserID), p, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("put preferences: %w", err)
	}
	return nil
}

// Notifications returns every notification of a recipient (tests).
func (s *Store) Notifications(ctx context.Context, recipientID string) ([]models.Notification, error) {
	return findAll[models.Notification](ctx, s.c(colNotifications), bson.D{{Key: "recipientId", Value: recipientID}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
}

// DeleteDevicesOfUser removes every device of a user (when they leave).
func (s *Store) DeleteDevicesOfUser(ctx context.Context, userID string) error {
	if _, err := s.c(colDevices).DeleteMany(ctx, bson.D{{Key: "userId", Value: userID}}); err != nil {
		return fmt.Errorf("delete devices: %w", err)
	}
	return nil
}

// handledStates are the notification states nothing more happens in.
var handledStates = bson.A{models.NotifySent, models.NotifyInboxOnly, models.NotifyExpired, models.NotifyCancelled,
	models.NotifyOff, models.NotifyFailed}

// PruneHistory deletes what the inbox and the outbox no longer need once
// it is older than before: handled notifications due before it, delivery
// records made before it, and consumed outbox events due before it.
// Pending notifications and events stay, however old. One delete per
// collection (the embedded engine reads a collection once per command).
// It returns how many notifications and events it deleted.
func (s *Store) PruneHistory(ctx context.Context, before time.Time) (notifications, events int, err error) {
	res, err := s.c(colNotifications).DeleteMany(ctx, bson.D{
		{Key: "state", Value: bson.D{{Key: "$in", Value: handledStates}}},
		{Key: "dueAt", Value: bson.D{{Key: "$lt", Value: before}}},
	})
	if err != nil {
		return 0, 0, fmt.Errorf("prune notifications: %w", err)
	}
	notifications = int(res.DeletedCount)
	if _, err := s.c(colDeliveries).DeleteMany(ctx, bson.D{{Key: "at", Value: bson.D{{Key: "$lt", Value: before}}}}); err != nil {
		return notifications, 0, fmt.Errorf("prune deliveries: %w", err)
	}
	res, err = s.c(colOutbox).DeleteMany(ctx, bson.D{
		{Key: "state", Value: models.EventConsumed},
		{Key: "dueAt", Value: bson.D{{Key: "$lt", Value: before}}},
	})
	if err != nil {
		return notifications, 0, fmt.Errorf("prune outbox: %w", err)
	}
	return notifications, int(res.DeletedCount), nil
}
