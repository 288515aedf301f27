{{ guard_gate() }}

with

base as (

    select * from {{ ref('base_crm__contacts') }}
    where quarantine_rule is null

),

normalised as (

    select
        -- ids
        contact_id,
        company_id,
        -- strings
        email,
        first_name,
        last_name,
        job_title,
        phone,
        coalesce(gender, 'unknown') as gender,
        street,
        {{ normalize_postal_code('postal_code') }} as postal_code,
        city,
        upper(coalesce(country_code, 'FR')) as country_code,
        coalesce(housing_type, 'unknown') as housing_type,
        occupation,
        education_level,
        interests,
        coalesce(email_consent, 'unknown') as email_consent,
        lead_source,
        -- numerics
        household_income_eur,
        -- dates
        birth_date,
        consent_updated_at,
        created_at,
        updated_at
    from base

),

final as (

    select
        *,
        {{ postal_code_to_department('postal_code', 'country_code') }} as department_code
    from normalised

)

select * from final
