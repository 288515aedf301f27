{{ config(materialized='table') }}

{#- Customer service and satisfaction of every person as of the reference date: tickets opened in the 12 months, tickets
    still open, average CSAT of the 12 months' tickets, and the latest NPS answer with its category. Tickets and
    answers after the reference date are ignored. -#}
with

contacts as (

    select
        contact_id,
        company_id
    from {{ ref('int_contacts_deduplicated') }}
    where is_survivor

),

tickets as (

    select
        contact_id,
        satisfaction_score,
        is_open,
        {{ days_before_reference('opened_date') }} as days_ago
    from {{ ref('fct_support_tickets') }}
    where
        contact_id is not null
        and opened_date <= {{ reference_date() }}

),

ticket_totals as (

    select
        contact_id,
        count(case when days_ago < 365 then 1 end) as tickets_12m,
        count(case when is_open then 1 end) as open_tickets,
        {{ rounded_ratio(
            'sum(case when days_ago < 365 then satisfaction_score end)',
            'count(case when days_ago < 365 then satisfaction_score end)',
            2
        ) }} as avg_csat
    from tickets
    group by contact_id

),

ranked_answers as (

    select
        contact_id,
        nps_score,
        row_number() over (partition by contact_id order by responded_at desc, response_id desc) as answer_rank
    from {{ ref('fct_nps_responses') }}
    where
        contact_id is not null
        and response_date <= {{ reference_date() }}

),

last_answers as (

    select
        contact_id,
        nps_score
    from ranked_answers
    where answer_rank = 1

),

final as (

    select
        -- ids
        contacts.contact_id,
        contacts.company_id,
        -- strings
        {{ nps_category('last_answers.nps_score') }} as nps_category,
        -- numerics
        coalesce(ticket_totals.tickets_12m, 0) as tickets_12m,
        coalesce(ticket_totals.open_tickets, 0) as open_tickets,
        ticket_totals.avg_csat,
        last_answers.nps_score as nps_score_last
    from contacts
    left join ticket_totals
        on contacts.contact_id = ticket_totals.contact_id
    left join last_answers
        on contacts.contact_id = last_answers.contact_id

)

select * from final
