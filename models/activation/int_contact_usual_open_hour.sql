{#- Every person's send time zone and usual open hour: the hour of the day (0-23, on the person's local clock) at
    which they opened the most emails in the 365 days ending on the reference date, a tie going to the earliest hour;
    null without an open. The local clock of a B2B contact is their account's (`int_account_opening_hours`), a
    consumer's is their département's (overseas) or `source_timezone`. One aggregation over the open events. -#}
with

contacts as (

    select
        contacts.contact_id,
        contacts.company_id,
        contacts.customer_type,
        coalesce(account_hours.send_timezone, {{ department_timezone('contacts.department_code') }}) as send_timezone
    from {{ ref('int_contacts_classified') }} as contacts
    left join {{ ref('int_account_opening_hours') }} as account_hours
        on contacts.company_id = account_hours.company_id

),

opens as (

    {{ person_email_events(['open']) | indent(4) }}

),

local_opens as (

    select
        opens.contact_id,
        cast(
            extract(hour from {{ utc_to_local('opens.occurred_at', 'contacts.send_timezone') }}) as {{ dbt.type_int() }}
        ) as open_hour
    from opens
    inner join contacts
        on opens.contact_id = contacts.contact_id
    where opens.days_ago < 365

),

hourly_opens as (

    select
        contact_id,
        open_hour,
        count(*) as opens
    from local_opens
    group by contact_id, open_hour

),

usual_hours as (

    select
        contact_id,
        open_hour,
        opens
    from (
        select
            contact_id,
            open_hour,
            opens,
            row_number() over (partition by contact_id order by opens desc, open_hour asc) as hour_rank
        from hourly_opens
    ) as ranked
    where hour_rank = 1

),

final as (

    select
        -- ids
        contacts.contact_id,
        contacts.company_id,
        -- strings
        contacts.customer_type,
        contacts.send_timezone,
        -- numerics
        usual_hours.open_hour as usual_open_hour,
        coalesce(usual_hours.opens, 0) as usual_open_hour_opens
    from contacts
    left join usual_hours
        on contacts.contact_id = usual_hours.contact_id

)

select * from final
