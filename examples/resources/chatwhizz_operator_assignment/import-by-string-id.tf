import {
  to = chatwhizz_operator_assignment.example
  id = "shop.example.com/65f1c0ffee0123456789abcd"
}
