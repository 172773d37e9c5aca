package serve

// logLevelVariables are the environment variables with which a user asks
// for the provider's logs: the CLI's (which the provider process inherits)
// and the plugin SDK's own.
var logLevelVariables = []string{
	"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_CHATWHIZZ",
	"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK",
}

// unreadLogLevels are the loggers that default to TRACE when their variable
// is unset: the provider's root logger and the plugin SDK's.
var unreadLogLevels = []string{"TF_LOG_PROVIDER_CHATWHIZZ", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}

// silenceUnreadLogs turns the provider's and the plugin SDK's loggers off
// when nobody asked for logs. They default to TRACE and format every entry
// for the CLI, which discards them when TF_LOG and TF_LOG_PROVIDER are
// unset: a fifth of the provider's CPU spent on logs nobody reads. A user
// who sets any of logLevelVariables gets every log as before, and so does
// a debugging session (-debug), whose logs go to the terminal.
func silenceUnreadLogs(debug bool, getenv func(string) string, setenv func(string, string) error) error {
	if debug {
		return nil
	}
	for _, name := range logLevelVariables {
		if getenv(name) != "" {
			return nil
		}
	}
	for _, name := range unreadLogLevels {
		if err := setenv(name, "OFF"); err != nil {
			return err
		}
	}
	return nil
}
