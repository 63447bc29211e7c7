// Package authtest holds the tests' aids for passwords.
package authtest

import "github.com/aftersale/aftersale/auth"

// Params are argon2id parameters that hash in microseconds: the tests sign
// many users in, and auth.DefaultParams take tens of milliseconds a hash.
var Params = auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
