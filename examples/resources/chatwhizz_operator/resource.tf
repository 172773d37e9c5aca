terraform {
  required_providers {
    chatwhizz = {
      source  = "chatwhizz/chatwhizz"
      version = "~> 0.1"
    }
  }
}

resource "chatwhizz_operator" "example" {
  email      = "ada@example.com"
  first_name = "Ada"
  last_name  = "Lovelace"
}

# Without names, the operator is called after the part of the email before "@".
resource "chatwhizz_operator" "night_shift" {
  email = "night-shift@example.com"
}

# An operator who no longer answers chats under this addon: kept in the
# organisation, inactive for the addon.
resource "chatwhizz_operator" "former" {
  email  = "former@example.com"
  active = false
}

output "operator_id" {
  value = chatwhizz_operator.example.id
}
