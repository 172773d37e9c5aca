# Against a real server, like emulator.tftest.hcl: the site and its team are
# made on the seller-buyer addon (the widget check belongs to its reference),
# then a helper module asks the server whether visitors see the chat widget.
# Whether they do is the service's own rule; the assertion quotes its reason.

variables {
  addon = "seller_buyer_chat_System"
  # Domain names are global: not the site that emulator.tftest.hcl makes on
  # live_chat.
  site = "widget.example.com"
}

run "creates_the_team" {
  assert {
    condition     = length(chatwhizz_operator_assignment.team) == 2
    error_message = "every operator of the team should be assigned"
  }
}

run "the_chat_widget_is_visible" {
  module {
    source = "./tests/widget"
  }

  assert {
    condition     = data.chatwhizz_widget_visibility.site.visible
    error_message = "The chat widget is hidden on ${var.site}: ${data.chatwhizz_widget_visibility.site.reason}"
  }
}
