terraform {
  required_providers {
    chatwhizz = {
      source  = "chatwhizz/chatwhizz"
      version = "~> 0.1"
    }
  }
}

data "chatwhizz_operator" "ada" {
  id = "65f1c0ffee0123456789abcd"
}

output "ada_is_available" {
  description = "Whether Ada is an active operator and online right now."
  value       = data.chatwhizz_operator.ada.active && data.chatwhizz_operator.ada.presence == "online"
}
