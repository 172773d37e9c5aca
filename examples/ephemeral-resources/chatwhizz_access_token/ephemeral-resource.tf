# The provider's own live token (Terraform 1.10+, OpenTofu 1.11+). It is
# opened when something uses it and is never written to the plan or the state.

terraform {
  required_providers {
    chatwhizz = {
      source  = "chatwhizz/chatwhizz"
      version = "~> 0.1"
    }
  }
}

ephemeral "chatwhizz_access_token" "current" {}

# A script run at apply time gets the token through its environment, to call
# the Chatwhizz API directly; CHATWHIZZ_BASE_URL comes from Terraform's own
# environment, as the provider reads it. Terraform hides the output of a
# provisioner that uses an ephemeral value.
resource "terraform_data" "check_shop" {
  triggers_replace = ["shop.example.com"]

  provisioner "local-exec" {
    command = "curl --fail --silent --show-error --header \"access_token: $CHATWHIZZ_ACCESS_TOKEN\" \"$${CHATWHIZZ_BASE_URL%/}/admin/domain/shop.example.com\""

    environment = {
      CHATWHIZZ_ACCESS_TOKEN = ephemeral.chatwhizz_access_token.current.access_token
      # When the token stops working (RFC 3339), or "unknown" when the API
      # did not say: a long script can check it before each call.
      CHATWHIZZ_TOKEN_EXPIRES_AT = coalesce(ephemeral.chatwhizz_access_token.current.expires_at, "unknown")
    }
  }
}

# Another provider takes the token in its provider block, which accepts
# ephemeral values (data sources and most resource arguments do not).
# For example, with a generic REST API provider:
#
# provider "restapi" {
#   uri = var.chatwhizz_base_url
#   headers = {
#     access_token = ephemeral.chatwhizz_access_token.current.access_token
#   }
# }
