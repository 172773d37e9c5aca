# Sourced by scripts that run a CLI against a provider built from this
# checkout.
#
# write_dev_overrides FILE BINDIR: a CLI configuration (for
# TF_CLI_CONFIG_FILE) that takes the provider, under both registries'
# addresses, from BINDIR, and every other provider as usual.
write_dev_overrides() {
	cat >"$1" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/chatwhizz/chatwhizz" = "$2"
    "registry.opentofu.org/chatwhizz/chatwhizz" = "$2"
  }
  direct {}
}
RC
}
