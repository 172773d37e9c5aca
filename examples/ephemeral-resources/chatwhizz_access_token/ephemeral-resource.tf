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
# the Chatwhizz API directly. Terraform hides the output of a provisioner that
# uses an ephemeral value.
resource "terraform_data" "check_shop" {
  triggers_replace = ["shop.example.com"]

  provisioner "local-exec" {
    command = "curl --fail --silent --show-error --header \"access_token: $CHATWHIZZ_ACCESS_TOKEN\" https://api.chatwhizz.com/admin/domain/shop.example.com"

    environment = {
      CHATWHIZZ_ACCESS_TOKEN = ephemeral.chatwhizz_access_token.current.access_token
    }
  }
}

# Another provider takes the token in its provider block, which accepts
# ephemeral values (data sources and most resource arguments do not).
# For example, with a generic REST API provider:
#
# provider "restapi" {
#   uri = "https://api.chatwhizz.com/"
#   headers = {
#     access_token = ephemeral.chatwhizz_access_token.current.access_token
#   }
# }
