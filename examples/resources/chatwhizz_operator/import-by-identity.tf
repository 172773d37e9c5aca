import {
  to = chatwhizz_operator.example
  identity = {
    id = "65f1c0ffee0123456789abcd"
  }
}
