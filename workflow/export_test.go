package workflow

// NewPassword is newPassword, for the tests of the distributor's password.
var NewPassword = newPassword
