// Package fake holds, one package per folder, the test doubles of the
// services reinvent talks to, each built from the service's documented wire
// format and served on loopback:
//
//   - events (package fakeevents): the official AWS Events API.
//   - portal (package fakeportal): the attendee portal's GraphQL API.
//   - x (package fakex): X's API, checking OAuth 1.0a signatures.
//   - ntfy (package fakentfy): an ntfy server's publish and subscribe API,
//     with sequence ids (a resend replaces the notification).
//   - cognito/srp (package srpverifier): the Cognito side of SRP-6a.
//   - cognito/local (package cognitolocal): the real cognito-local
//     emulator from npm, installed and started for a test.
//
// They are imported only by tests. The helpers every test shares (the
// event's zone, an isolated home, the CLI runner, installing tools) are in
// internal/testenv.
package fake
