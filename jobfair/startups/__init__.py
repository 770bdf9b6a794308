"""Start-up support (创业扶持): start-up cases, 创业导师, 创业担保贷款 with the interest subsidy
computed by the policy catalogue, follow-ups, 返乡入乡创业 and 一次性创业补贴 on registration."""
