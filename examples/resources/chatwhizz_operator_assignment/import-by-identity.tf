import {
  to = chatwhizz_operator_assignment.example
  identity = {
    domain_name = "shop.example.com"
    operator_id = "65f1c0ffee0123456789abcd"
  }
}
