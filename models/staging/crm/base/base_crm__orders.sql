{{ base_incremental_config('orders') }}

{{ guarded_base(
    'orders',
    expressions={
        'currency': "coalesce(upper(" ~ clean_text('currency') ~ "), 'EUR')",
    },
    rules=[
        rule_not_negative('total_amount'),
        {'rule': 'no_customer', 'column': 'contact_id', 'when': 'contact_id is null and company_id is null'},
    ],
    references=[
        {'column': 'contact_id', 'to': ref('base_crm__contacts')},
        {'column': 'company_id', 'to': ref('base_crm__companies')},
    ]
) }}
